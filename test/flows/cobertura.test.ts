import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));
const prospects = () => h.app.deps.store.listProspects();

describe('cobertura flow', () => {
  it('a colonia alias in the first message maps to its zone', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p1' });
    await c.say('¿tienen cobertura en las flores?');
    expect(c.lastText()).toMatch(/Sí llegamos a Las Flores \(zona Poniente\)/);
    expect(ids(c)).toEqual(['planes', 'contratar', 'menu']);
  });

  it('asks for the place with zone buttons when missing', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p2' });
    await c.press('intent:cobertura');
    expect(c.lastText()).toMatch(/colonia/i);
    expect(ids(c)).toEqual(['zona:Centro', 'zona:Norte', 'zona:Sur', 'zona:Oriente', 'zona:Poniente', 'zona:otra']);
    await c.press('zona:Sur');
    expect(c.lastText()).toMatch(/Sí llegamos a la zona Sur/);
  });

  it('an unknown place is not covered yet; the waiting list asks name and phone and writes the row', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p3' });
    await c.press('intent:cobertura');
    await c.say('vivo en la colonia Hidalgo');
    expect(c.lastText()).toMatch(/Todavía no llegamos a Hidalgo/);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.say('sí');
    expect(c.lastText()).toMatch(/nombre completo/i);
    await c.say('Laura Campos');
    expect(c.lastText()).toMatch(/número/i);
    await c.say('55 1212 3434');
    expect(c.lastText()).toMatch(/lista de espera.*Hidalgo/s);
    const rows = await prospects();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'lista_espera', colonia: 'Hidalgo', name: 'Laura Campos', phone: '525512123434' });
    expect(rows[0]?.zone).toBeUndefined();
    expect(h.app.alerts.map((a) => a.kind)).toEqual(['prospecto']);
  });

  it('on WhatsApp a configured outside place goes to the waiting list with the known name and phone', async () => {
    h = await startHarness();
    const c = h.chat({ user: '5215590901212', channel: 'whatsapp', phone: '5215590901212', name: 'Mario Salas' });
    await c.press('intent:cobertura');
    await c.press('zona:otra');
    await c.say('San Pedro');
    expect(c.lastText()).toMatch(/Todavía no llegamos a San Pedro/);
    await c.press('yes');
    expect(c.lastText()).toMatch(/Mario Salas/);
    await c.press('yes');
    expect(c.lastText()).toMatch(/lista de espera/);
    expect((await prospects())[0]).toMatchObject({ status: 'lista_espera', colonia: 'San Pedro', phone: '525590901212', channel: 'whatsapp' });
  });

  it('declining the waiting list writes nothing', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p4' });
    await c.press('intent:cobertura');
    await c.press('zona:otra');
    await c.say('La Joya');
    await c.say('no, gracias');
    expect(c.lastText()).toMatch(/gracias por tu interés/i);
    expect(await prospects()).toHaveLength(0);
  });

  it('a shared location asks kindly for the colonia', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p5' });
    await c.press('intent:cobertura');
    await c.say('#location 19.43,-99.13');
    expect(c.lastText()).toMatch(/ubicación.*colonia/s);
    expect(ids(c)).toContain('zona:Norte');
    await c.say('bellavista');
    expect(c.lastText()).toMatch(/Sí llegamos a Bellavista \(zona Oriente\)/);
  });

  it('invalid answers are re-asked; three offer a person', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p6' });
    await c.press('intent:cobertura');
    await c.say('???');
    expect(c.lastText()).toMatch(/No entendí el lugar/);
    expect(ids(c)).toContain('zona:Centro');
    await c.say('12345');
    await c.say('!!');
    expect(ids(c)).toContain('intent:humano');
  });

  it('"menú" leaves the flow', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p7' });
    await c.press('intent:cobertura');
    await c.say('menú');
    expect(c.lastText()).toMatch(/dejamos eso/i);
    await c.say('Hidalgo');
    expect(await prospects()).toHaveLength(0);
  });

  it('"Contratar" after "¡Sí llegamos!" starts the sign-up with the zone and colonia already known', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p8' });
    await c.say('tienen cobertura en la esperanza?');
    expect(c.lastText()).toMatch(/Sí llegamos a La Esperanza \(zona Sur\)/);
    await c.press('contratar');
    expect(c.last().at(-1)?.flow).toBe('registro');
    expect(c.lastText()).toMatch(/nombre completo/i);
    await c.say('Rosa Díaz');
    expect(c.lastText()).toMatch(/¿Qué plan te interesa\?/);
    expect(c.lastText()).not.toMatch(/¿En qué zona vives/);
    await c.press('plan:20');
    await c.say('5511223344');
    expect(c.lastText()).toMatch(/Zona: Sur \(La Esperanza\)/);
    await c.press('confirm');
    expect((await prospects())[0]).toMatchObject({ name: 'Rosa Díaz', zone: 'Sur', colonia: 'La Esperanza', planMbps: 20 });
  });

  it('"Ver planes" lists the plans with a button each; picking one signs up with the zone and that plan', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p9' });
    await c.press('intent:cobertura');
    await c.press('zona:Oriente');
    await c.press('planes');
    expect(c.lastText()).toMatch(/Plus 50 Mbps: \$450 al mes/);
    expect(ids(c)).toEqual(['plan:20', 'plan:50', 'plan:100', 'contratar', 'menu']);
    await c.say('¿cuál me recomiendas para gaming?');
    expect(c.lastText()).toMatch(/te recomiendo el plan \*Ultra 100 Mbps/);
    await c.press('plan:100');
    expect(c.lastText()).toMatch(/contratar el plan Ultra de 100 Mbps/);
    await c.say('Saúl Ortega');
    expect(c.lastText()).toMatch(/número/i);
    await c.say('5522334455');
    expect(c.lastText()).toMatch(/Zona: Oriente/);
    expect(c.lastText()).toMatch(/Ultra 100 Mbps/);
  });

  it('after "¡Sí llegamos!" a "no" ends politely and an unclear answer re-asks', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p10' });
    await c.say('llegan a los pinos?');
    await c.say('asdf');
    expect(c.lastText()).toMatch(/¿Te muestro los planes o empezamos tu contratación\?/);
    expect(ids(c)).toEqual(['planes', 'contratar', 'menu']);
    await c.say('nel');
    expect(c.lastText()).toMatch(/Cuando quieras contratar/);
    expect(await prospects()).toHaveLength(0);
  });
});
