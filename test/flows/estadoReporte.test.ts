import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678' });
const beto = customer({ id: 'C-0002', name: 'Beto Ruiz', phone: '5587654321' });

async function setup() {
  h = await startHarness({ customers: [ana, beto] });
  const store = h.app.deps.store;
  const anas: string[] = [];
  for (let i = 0; i < 6; i++) anas.push((await store.createIncident({ type: i === 0 ? 'pago' : 'falla', priority: 'media', customerId: 'C-0001' })).folio);
  const closed = await store.createIncident({ type: 'falla', priority: 'alta', status: 'cerrado', customerId: 'C-0001' });
  const betos = await store.createIncident({ type: 'cambio_plan', priority: 'baja', customerId: 'C-0002', description: 'Cambio de plan de 50 Mbps a 100 Mbps' });
  return { anas, closed: closed.folio, betos: betos.folio };
}

describe('estado_reporte flow', () => {
  it('lists the customer’s own open tickets, newest first, at most 5', async () => {
    const { anas, closed, betos } = await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('mis reportes');
    const text = c.lastText();
    const shown = [...text.matchAll(/F-\d{6}/g)].map((m) => m[0]);
    expect(shown).toEqual(anas.slice(1).reverse());
    expect(text).not.toContain(closed);
    expect(text).not.toContain(betos);
    expect(text).toMatch(/Falla · abierto · prioridad media · hace/);
    expect(ids(c)).toEqual(['close', 'menu']);
  });

  it('shows one of the customer’s tickets by folio', async () => {
    const { anas } = await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say(`como va mi reporte ${anas[0]}`);
    expect(c.lastText()).toContain(anas[0]);
    expect(c.lastText()).toMatch(/Pago/);
  });

  it('another customer’s folio reveals nothing', async () => {
    const { betos } = await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say(`como va mi reporte ${betos}`);
    expect(c.lastText()).toMatch(/no encontré ese folio entre tus reportes/i);
    expect(c.lastText()).not.toMatch(/Cambio de plan|baja|Beto|100 Mbps/);
  });

  it('"quiero cancelar mi reporte" closes it after a yes, with a note', async () => {
    h = await startHarness({ customers: [ana] });
    const t = await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0001' });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cancelar mi reporte');
    expect(c.lastText()).toContain(t.folio);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.say('sí');
    expect(c.lastText()).toMatch(/Cerré el reporte/);
    const row = await h.app.deps.store.getIncident(t.folio);
    expect(row?.status).toBe('cerrado');
    expect(row?.notes).toMatch(/Cerrado a petición del cliente/);
  });

  it('"cancela mi folio …" goes straight to confirming that one', async () => {
    const { anas, betos } = await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say(`cancela mi folio ${anas[2]}`);
    expect(c.lastText()).toMatch(/Quieres cerrar este reporte/);
    expect(c.lastText()).toContain(anas[2]);
    await c.press('yes');
    expect((await h.app.deps.store.getIncident(anas[2]!))?.status).toBe('cerrado');
    await c.say(`cancela mi folio ${betos}`);
    expect(c.lastText()).toMatch(/No encontré ese folio/);
    expect((await h.app.deps.store.getIncident(betos))?.status).toBe('abierto');
  });

  it('with several open tickets it asks which one to close', async () => {
    const { anas } = await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:estado_reporte');
    await c.press('close');
    expect(ids(c)).toContain(`folio:${anas[5]}`);
    await c.press(`folio:${anas[5]}`);
    await c.press('no');
    expect(c.lastText()).toMatch(/sigue abierto/);
    expect((await h.app.deps.store.getIncident(anas[5]!))?.status).toBe('abierto');
  });

  it('no tickets → says so and offers to report a falla', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:estado_reporte');
    expect(c.lastText()).toMatch(/No tienes reportes abiertos/);
    expect(ids(c)).toContain('intent:falla');
  });

  it('an invalid answer re-asks with a hint; three of them offer a person', async () => {
    await setup();
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:estado_reporte');
    await c.say('mmm');
    expect(c.lastText()).toMatch(/escríbeme su folio/);
    expect(ids(c)).toEqual(['close', 'menu']);
    await c.say('eh');
    await c.say('ajá');
    expect(ids(c)).toContain('intent:humano');
  });

  it('"menú" while confirming closes nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const t = await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0001' });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:estado_reporte');
    await c.press('close');
    await c.say('menú');
    expect(ids(c)).toContain('intent:estado_reporte');
    await c.say('sí');
    expect((await h.app.deps.store.getIncident(t.folio))?.status).toBe('abierto');
  });

  it('an unknown user learns nothing; on Telegram sharing their own contact identifies them', async () => {
    const { anas } = await setup();
    const web = h.chat({ user: 'x' });
    await web.say(`como va mi reporte ${anas[0]}`);
    expect(web.lastText()).toMatch(/solo se la puedo mostrar al titular/);
    expect(web.lastText()).not.toMatch(/F-\d{6}|Pago/);

    const tg = h.chat({ user: '777', channel: 'telegram' });
    await tg.press('intent:estado_reporte');
    expect(tg.lastText()).toMatch(/Compartir mi contacto/);
    expect(tg.lastText()).not.toMatch(/F-\d{6}/);
    await tg.say('5512345678');
    expect(tg.lastText()).toMatch(/no puedo usar un número escrito/);
    expect(tg.lastText()).not.toMatch(/F-\d{6}/);
    await tg.say(`#contact ${ana.phone}`);
    expect(tg.lastText()).toContain(anas[5]);
  });

  it('on Telegram, typed numbers while waiting for the contact count as failed answers: the third offers a person', async () => {
    await setup();
    const tg = h.chat({ user: '778', channel: 'telegram' });
    await tg.press('intent:estado_reporte');
    await tg.say('5512345678');
    expect(tg.lastText()).toMatch(/no puedo usar un número escrito/);
    await tg.say('55 1234 5678');
    await tg.say('C-0001');
    expect(tg.last().flatMap((r) => r.quickReplies.map((q) => q.id))).toContain('intent:humano');
    expect(tg.lastText()).toMatch(/persona/);
    expect(tg.lastText()).not.toMatch(/F-\d{6}/);
  });
});

describe('estado_reporte: what the product tester found', () => {
  it('"ya regreso el internet, gracias" offers to close the open falla; yes closes it', async () => {
    h = await startHarness({ customers: [ana] });
    const t = await h.app.deps.store.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-0001', category: 'sin_internet' });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya regreso el internet, gracias');
    expect(c.last().at(-1)?.flow).toBe('estado_reporte');
    expect(c.lastText()).not.toMatch(/no lo puedo responder/);
    expect(c.lastText()).toMatch(new RegExp(`¿Cierro tu reporte \\*${t.folio}\\*\\?`));
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.say('sí');
    expect(c.lastText()).toMatch(/Cerré el reporte/);
    expect((await h.app.deps.store.getIncident(t.folio))?.status).toBe('cerrado');
  });

  it('"ya volvió la señal" with no open falla is just good news; "no" keeps an open one', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const t = await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0002', category: 'lento' });
    const a = h.chat({ user: 'ana', phone: ana.phone });
    await a.say('ya volvio la señal');
    expect(a.lastText()).toMatch(/Qué bien/);
    const b = h.chat({ user: 'beto', phone: beto.phone });
    await b.say('ya quedo el servicio, gracias');
    expect(b.lastText()).toContain(t.folio);
    await b.press('no');
    expect((await h.app.deps.store.getIncident(t.folio))?.status).toBe('abierto');
  });

  it('the priority is shown for fallas only, not for other tickets', async () => {
    h = await startHarness({ customers: [ana] });
    const store = h.app.deps.store;
    const pago = await store.createIncident({ type: 'pago', priority: 'media', customerId: 'C-0001' });
    const falla = await store.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-0001' });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('mis reportes');
    const lines = c.lastText().split('\n');
    expect(lines.find((l) => l.includes(falla.folio))).toMatch(/prioridad alta/);
    expect(lines.find((l) => l.includes(pago.folio))).not.toMatch(/prioridad/);
  });
});
