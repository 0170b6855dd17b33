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

  it('a typed customer number cannot start a cancellation: explain, offer a person, file nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'x' });
    await c.say('quiero cancelar mi servicio');
    expect(c.lastText()).toMatch(/escríbenos desde el número registrado/i);
    expect(ids(c)).toEqual(['intent:humano', 'menu']);
    await c.say('C-0001');
    expect(c.lastText()).not.toMatch(/motivo|Ana|50 Mbps/);
    await c.press('reason:precio');
    await c.press('decline');
    await c.press('yes');
    expect(await h.app.deps.store.listIncidents()).toHaveLength(0);
    expect(h.app.alerts).toHaveLength(0);
  });

  it('on Telegram the owner confirms by sharing their contact, then the reason in the first message is used', async () => {
    h = await startHarness({ customers: [ana] });
    const tg = h.chat({ user: '900', channel: 'telegram' });
    await tg.say('quiero cancelar, está muy caro');
    expect(tg.lastText()).toMatch(/Compartir mi contacto/);
    await tg.say('5512345678');
    expect(tg.lastText()).toMatch(/no puedo usar un número escrito/);
    await tg.say(`#contact ${ana.phone}`);
    expect(tg.lastText()).toMatch(/20 % de descuento durante 3 meses/);
  });

  it('the reason in the first message is prefilled (fallas, me_mudo, precio)', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya me canse de que se caiga a cada rato quiero dar de baja');
    expect(c.lastText()).toMatch(/lamento mucho las fallas/);
    expect(c.lastText()).toMatch(/Visita técnica prioritaria/);
    await c.say('menú');
    await c.say('quiero cancelar porque me voy a cambiar de casa');
    expect(c.lastText()).toMatch(/mudanza/);
    expect(c.lastText()).toMatch(/Cambio de domicilio sin costo/);
    await c.say('menú');
    await c.say('quiero cancelar, está muy caro');
    expect(c.lastText()).toMatch(/el precio es importante/);
    expect(ids(c)).toEqual(['accept', 'decline']);
  });

  it('moving to a place we do not reach: no change-of-address offer, straight to the confirmation', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar porque me mudo a san pedro');
    expect(c.lastText()).toMatch(/no llegamos a San Pedro/);
    expect(c.lastText()).not.toMatch(/Cambio de domicilio/);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.press('yes');
    const [row] = await rows('cancelacion');
    expect(row?.description).toMatch(/Me mudo/);
    await c.say('quiero cancelar mi servicio');
    await c.say('me voy a cambiar a san pedro');
    expect(c.lastText()).toMatch(/no llegamos a San Pedro/);
  });

  it('the offer is worded naturally', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi servicio');
    await c.press('reason:fallas');
    expect(c.lastText()).toMatch(/Antes de que te vayas, te podemos ofrecer \*.+\* 🎁\. ¿Te interesa\?/);
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
