import { describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS, findRecentProspect, InvalidProspectError, registerProspect } from '../../src/domain/prospects.ts';
import { domainDeps } from './domainDeps.ts';

describe('registerProspect', () => {
  it('writes a nuevo row with the config price, normalised phone, and alerts staff', async () => {
    const deps = domainDeps((c) => {
      c.plans.find((p) => p.mbps === 50)!.price = 475;
    });
    const res = await registerProspect(deps, { name: 'ana lópez', phone: '55 1234 5678', zone: 'norte', planMbps: 50, channel: 'console' });
    expect(res.duplicate).toBe(false);
    expect(res.prospect).toMatchObject({ name: 'Ana López', phone: '525512345678', zone: 'Norte', planMbps: 50, price: 475, status: 'nuevo', channel: 'console' });
    expect(await deps.store.listProspects()).toHaveLength(1);
    expect(deps.alerts).toHaveLength(1);
    expect(deps.alerts[0]).toMatchObject({ kind: 'prospecto', ref: res.prospect.id });
    expect(deps.alerts[0]?.text).toContain('Ana López');
  });

  it('does not duplicate a request with the same vouched phone within 7 days (52 1 form included)', async () => {
    const deps = domainDeps();
    const first = await registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Norte', planMbps: 20, channel: 'console' });
    deps.testClock.advance(DUPLICATE_WINDOW_MS - 3600_000);
    const again = await registerProspect(deps, { name: 'Ana López', phone: '+52 1 55 1234 5678', zone: 'Sur', planMbps: 100, channel: 'whatsapp', phoneVouched: true });
    expect(again).toMatchObject({ duplicate: true, prospect: { id: first.prospect.id } });
    expect(await deps.store.listProspects()).toHaveLength(1);
    expect(deps.alerts).toHaveLength(1);
    expect(await findRecentProspect(deps, '521 5512345678')).toMatchObject({ id: first.prospect.id });
  });

  it('a typed (not vouched) phone that asked recently is written anyway, marked as a possible duplicate', async () => {
    const deps = domainDeps();
    const first = await registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Norte', planMbps: 20, channel: 'whatsapp', phoneVouched: true });
    const typed = await registerProspect(deps, { name: 'Otra Persona', phone: '55 1234 5678', zone: 'Sur', planMbps: 50, channel: 'console' });
    expect(typed.duplicate).toBe(false);
    expect(typed.prospect.id).not.toBe(first.prospect.id);
    expect(typed.prospect.notes).toMatch(new RegExp(`[Pp]osible duplicado de ${first.prospect.id}`));
    expect(await deps.store.listProspects()).toHaveLength(2);
    expect(deps.alerts.at(-1)?.text).toMatch(/posible duplicado/i);
  });

  it('accepts the same phone again after 7 days', async () => {
    const deps = domainDeps();
    await registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Norte', planMbps: 20, channel: 'console' });
    deps.testClock.advance(DUPLICATE_WINDOW_MS + 3600_000);
    expect(await findRecentProspect(deps, '5512345678')).toBeUndefined();
    const res = await registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Norte', planMbps: 20, channel: 'console' });
    expect(res.duplicate).toBe(false);
    expect(await deps.store.listProspects()).toHaveLength(2);
  });

  it('writes a lista_espera row with no zone and the place as colonia', async () => {
    const deps = domainDeps();
    const res = await registerProspect(deps, { name: 'Luis Pérez', phone: '5598765432', zone: 'Norte', colonia: 'San Pedro', channel: 'telegram', status: 'lista_espera' });
    expect(res.prospect).toMatchObject({ status: 'lista_espera', colonia: 'San Pedro', phone: '525598765432' });
    expect(res.prospect.zone).toBeUndefined();
    expect(res.prospect.planMbps).toBeUndefined();
    expect(deps.alerts[0]).toMatchObject({ kind: 'prospecto', ref: res.prospect.id });
    expect(deps.alerts[0]?.text).toContain('San Pedro');
  });

  it('rejects invalid input without writing', async () => {
    const deps = domainDeps();
    await expect(registerProspect(deps, { name: 'Ana López', phone: '123', zone: 'Norte', planMbps: 20, channel: 'console' })).rejects.toBeInstanceOf(InvalidProspectError);
    await expect(registerProspect(deps, { name: 'Ana', phone: '5512345678', zone: 'Norte', planMbps: 20, channel: 'console' })).rejects.toBeInstanceOf(InvalidProspectError);
    await expect(registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Marte', planMbps: 20, channel: 'console' })).rejects.toBeInstanceOf(InvalidProspectError);
    await expect(registerProspect(deps, { name: 'Ana López', phone: '5512345678', zone: 'Norte', planMbps: 30, channel: 'console' })).rejects.toMatchObject({ name: 'InvalidProspectError', field: 'plan' });
    expect(await deps.store.listProspects()).toHaveLength(0);
    expect(deps.alerts).toHaveLength(0);
  });
});
