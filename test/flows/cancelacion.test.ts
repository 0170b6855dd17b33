import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

// Customer since 2024-01-15: 25 months at the harness clock (2026-03-10).
const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678', planMbps: 50, signupDate: '2024-01-15' });

const rows = async (type: 'retencion' | 'cancelacion') => h.app.deps.store.listIncidents({ type });

describe('cancelacion flow', () => {
  it('asks the reason, makes the table’s offer; accepted → retencion ticket and staff alert', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    expect(ids(c)).toEqual(['reason:precio', 'reason:fallas', 'reason:me_mudo', 'reason:otro_proveedor', 'reason:otro']);
    await c.say('está muy caro');
    expect(c.lastText()).toMatch(/20 % de descuento durante 3 meses/);
    expect(ids(c)).toEqual(['accept', 'decline']);
    await c.press('accept');
    expect(c.lastText()).toMatch(/Gracias por quedarte/);
    const [row] = await rows('retencion');
    expect(c.lastText()).toContain(row!.folio);
    expect(row?.description).toMatch(/20 % de descuento/);
    expect(await rows('cancelacion')).toHaveLength(0);
    expect(h.app.alerts.map((a) => a.kind)).toEqual(['retencion']);
  });

  it('a reason in the first message is used; declined → cancelacion ticket with the reason', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('me voy a cambiar a telmex');
    expect(c.lastText()).toMatch(/Subida de velocidad/);
    await c.say('no gracias, quiero cancelar');
    expect(c.lastText()).toMatch(/¿Confirmas/);
    expect(ids(c)).toEqual(['yes', 'no']);
    expect(await rows('cancelacion')).toHaveLength(0);
    await c.say('sí');
    expect(c.lastText()).toMatch(/solicitud de cancelación/);
    const [row] = await rows('cancelacion');
    expect(row).toMatchObject({ type: 'cancelacion', customerId: 'C-0001' });
    expect(row?.description).toMatch(/Otro proveedor/);
    expect(await rows('retencion')).toHaveLength(0);
    expect(h.app.alerts.map((a) => a.kind)).toEqual(['cancelacion']);
  });

  it('"me cambio de casa" is a move: the change-of-address offer', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.say('me cambio de casa');
    expect(c.lastText()).toMatch(/Cambio de domicilio sin costo/);
  });

  it('an invalid answer re-asks with a hint; three of them offer a person', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.say('asdf');
    expect(c.lastText()).toMatch(/Elige el motivo/);
    expect(ids(c)).toContain('reason:precio');
    await c.say('qwer');
    await c.say('zxcv');
    expect(ids(c)).toContain('intent:humano');
  });

  it('"menú" at the offer writes nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.press('reason:fallas');
    await c.say('menú');
    await c.press('decline');
    expect(await h.app.deps.store.listIncidents()).toHaveLength(0);
  });

  it('an unknown user is identified like in falla; the offer uses no account data', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'x' });
    await c.say('quiero cancelar mi servicio');
    expect(c.lastText()).toMatch(/número de cliente/);
    await c.say('C-0001');
    expect(c.lastText()).not.toMatch(/Ana|50 Mbps/);
    await c.press('reason:precio');
    // Tenure and plan are not used for someone who only typed a number: the catch-all offer.
    expect(c.lastText()).toMatch(/Un mes con 50 % de descuento/);
    await c.press('decline');
    await c.press('yes');
    expect(c.lastText()).toMatch(/pendiente de verificar/);
    const [row] = await rows('cancelacion');
    expect(row?.customerId).toBe('C-0001');
    expect(row?.notes).toMatch(/console:x .*SIN VERIFICAR.*C-0001/);
    expect(h.app.alerts.at(-1)?.text).toMatch(/SIN VERIFICAR/);
  });

  it('"No, mejor me quedo" at the offer stays: a retencion ticket, no cancelacion', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.press('reason:precio');
    await c.say('No, mejor me quedo');
    expect(c.lastText()).toMatch(/Gracias por quedarte/);
    expect(await rows('retencion')).toHaveLength(1);
    expect(await rows('cancelacion')).toHaveLength(0);
  });

  it('a declined offer asks for a last confirmation; "no" there files nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.press('reason:fallas');
    await c.press('decline');
    expect(c.lastText()).toMatch(/¿Confirmas que quieres solicitar la cancelación/);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.say('no');
    expect(c.lastText()).toMatch(/sigas con nosotros/);
    expect(await h.app.deps.store.listIncidents()).toHaveLength(0);
    expect(h.app.alerts).toHaveLength(0);
  });
});
