import { afterEach, describe, expect, it } from 'vitest';
import { startHandoff } from '../../src/domain/handoff.ts';
import { isOptedOut } from '../../src/outreach/optOut.ts';
import { customer, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5215511112222', zone: 'Norte', planMbps: 50 });

describe('agent engine', () => {
  it('greets with a role-aware menu', async () => {
    h = await startHarness({ customers: [ana] });
    const prospect = h.chat({ user: 'p1', name: 'Luis' });
    const [greeting] = await prospect.say('hola');
    expect(greeting?.text).toMatch(/Hola Luis/);
    expect(greeting?.quickReplies.map((q) => q.id)).toContain('intent:registro');

    const known = h.chat({ user: 'c1', phone: '55 1111 2222' });
    const [menu] = await known.say('buenas tardes');
    expect(menu?.text).toMatch(/Hola Ana/);
    expect(menu?.quickReplies.map((q) => q.id)).toContain('intent:falla');

    const staff = h.chat({ user: 's1', role: 'staff' });
    const [staffMenu] = await staff.say('hola');
    expect(staffMenu?.quickReplies.map((q) => q.id)).toEqual(['intent:estadisticas', 'intent:buscar_cliente', 'intent:finanzas']);
  });

  it('"menú" leaves any flow and a menu button starts another', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p2' });
    await c.press('intent:registro');
    expect(c.last().at(-1)?.flow).toBe('registro');
    const [left] = await c.say('menú');
    expect(left?.text).toMatch(/dejamos eso/i);
    expect(left?.flow).toBeUndefined();
    await c.press('intent:planes');
    expect(c.lastText()).toMatch(/\$350/);
  });

  it('an idle session past its TTL starts fresh', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p3' });
    await c.press('intent:registro');
    h.clock.advance((h.config.sessions.ttlMinutes + 1) * 60_000);
    const [reply] = await c.say('hola');
    expect(reply?.intent).toBe('saludo');
    expect(reply?.flow).toBe('saludo');
  });

  it('staff-only questions from a customer get the customer menu and reveal nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c2', phone: '5511112222' });
    for (const q of ['cuantos clientes hay por zona', 'busca a ana lopez', 'cuanto facturamos este mes']) {
      const replies = await c.say(q);
      const text = replies.map((r) => r.text).join('\n');
      expect(text).not.toMatch(/Ana López|\$\d|\d+ clientes/);
      expect(replies.at(-1)?.quickReplies.map((r) => r.id)).toContain('intent:falla');
    }
  });

  it('stays quiet while a person handles the chat, relays what the customer writes, and wakes on "menú"', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c3', phone: '5511112222' });
    const actor = { role: 'customer' as const, key: 'console:c3', customerId: 'C-0001', name: 'Ana López' };
    const ticket = await h.app.deps.store.createIncident({ type: 'humano', priority: 'media', customerId: 'C-0001' });
    await startHandoff(h.app.deps, actor, { until: h.clock.now().getTime() + 60 * 60_000, folio: ticket.folio });
    const [ack] = await c.say('sigo sin internet, mi modem parpadea');
    expect(ack?.text).toMatch(/equipo.*menú/s);
    expect(await c.say('hola?')).toEqual([]); // acknowledged once, not on every message
    h.clock.advance(11 * 60_000);
    expect((await c.say('sigue ahí alguien?')).length).toBe(1);
    expect((await h.app.deps.store.getIncident(ticket.folio))?.notes).toMatch(/sigo sin internet, mi modem parpadea/);
    const relayed = h.app.alerts.filter((a) => a.ref === ticket.folio);
    expect(relayed.map((a) => a.kind)).toEqual(['humano', 'humano', 'humano']);
    expect(relayed[0]?.text).toMatch(/mi modem parpadea/);
    const [menu] = await c.say('menú');
    expect(menu?.quickReplies.length).toBeGreaterThan(0);
    expect((await c.say('hola')).length).toBeGreaterThan(0);
  });

  it('the quiet time ends by itself', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c4', phone: '5511112222' });
    await startHandoff(h.app.deps, { role: 'customer', key: 'console:c4' }, { until: h.clock.now().getTime() + 60_000, ackedAt: h.clock.now().getTime() });
    expect(await c.say('hola?')).toEqual([]);
    h.clock.advance(61_000);
    expect((await c.say('hola')).length).toBeGreaterThan(0);
  });

  it('a failing alert channel never fails the customer\'s turn', async () => {
    const broken = { notifyStaff: async () => Promise.reject(new Error('telegram down')) };
    h = await startHarness({ customers: [ana], alertChannels: [broken] });
    const c = h.chat({ user: 'c5', phone: '5511112222' });
    await c.say('quiero hablar con una persona');
    expect(c.lastText()).not.toMatch(/problema al procesar/);
    expect(await h.app.deps.store.listIncidents({ type: 'humano' })).toHaveLength(1);
  });

  it('a staff flow does not continue once the user is no longer staff', async () => {
    h = await startHarness({ customers: [ana] });
    await h.chat({ user: 'x1', role: 'staff' }).say('busca clientes de la zona norte');
    const replies = await h.chat({ user: 'x1' }).say('ver mas');
    const text = replies.map((r) => r.text).join('\n');
    expect(text).not.toMatch(/Ana López|problema al procesar/);
  });

  it('a question in the middle of a flow is answered, and the flow goes on when the user answers its question', async () => {
    h = await startHarness({ customers: [{ ...ana, balance: 450 }] });
    const c = h.chat({ user: 'c6', phone: '5511112222' });
    await c.press('intent:falla');
    const question = c.last().at(-1);
    expect(question?.flow).toBe('falla');
    const side = await c.say('oye y cuanto debo?');
    expect(side.map((r) => r.text).join('\n')).toMatch(/\$450/);
    // Back to the outage question: the falla flow takes the answer with what it had.
    const back = await c.say('sin internet');
    expect(back.at(-1)?.flow).toBe('falla');
    expect(back.map((r) => r.text).join('\n')).not.toMatch(/\$450/);
  });

  it('a one-answer question in the middle of a flow resumes the flow at once', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c7', phone: '5511112222' });
    await c.press('intent:falla');
    const question = c.last().at(-1);
    const replies = await c.say('que planes tienen?');
    expect(replies.map((r) => r.text).join('\n')).toMatch(/\$350/);
    expect(replies.at(-2)?.text).toMatch(/Sigamos con lo que estábamos/);
    expect(replies.at(-1)?.text).toBe(question?.text);
    expect(replies.at(-1)?.quickReplies).toEqual(question?.quickReplies);
    expect(replies.at(-1)?.flow).toBe('falla');
  });

  it('"mejor no" or a thank-you ends a flow whose question it does not answer', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p5', name: 'Luis Pérez' });
    await c.press('intent:cobertura');
    const [left] = await c.say('mejor no');
    expect(left?.text).toMatch(/dejamos eso/i);
    await c.press('intent:cobertura');
    const [bye] = await c.say('muchas gracias, muy amable');
    expect(bye?.text).toMatch(/Gracias por escribirnos/);
    const [fresh] = await c.say('hola');
    expect(fresh?.flow).toBe('saludo');
  });

  it('"BAJA" opts out of outreach; "quiero dar de baja el servicio" is still a cancellation', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c8', phone: '5511112222' });
    const [ok] = await c.say('BAJA');
    expect(ok?.text).toMatch(/ya no te enviaremos/);
    expect(await isOptedOut(h.app.deps.kv, 'C-0001')).toBe(true);
    // Also in the middle of a flow: the opt-out is recorded, not taken as an answer.
    await h.app.deps.kv.delete('outreach:optout:C-0001').catch(() => undefined);
    const mid = h.chat({ user: 'c10', phone: '5511112222' });
    await mid.press('intent:falla');
    const [stopped] = await mid.say('STOP');
    expect(stopped?.text).toMatch(/ya no te enviaremos/);
    expect(await isOptedOut(h.app.deps.kv, 'C-0001')).toBe(true);
    const other = h.chat({ user: 'c9', phone: '5511112222' });
    const replies = await other.say('quiero dar de baja el servicio');
    expect(replies.at(-1)?.flow).toBe('cancelacion');
  });

  it('a contact shared outside any flow: on Telegram the own number links and shows the service; elsewhere it proves nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const tg = h.chat({ user: 'tg1', channel: 'telegram' });
    const linked = await tg.say('#contact +52 1 55 1111 2222');
    expect(linked.map((r) => r.text).join('\n')).toMatch(/C-0001/);
    expect(linked.at(-1)?.flow).toBe('mi_servicio');
    const wa = h.chat({ user: '5219990001111', channel: 'whatsapp', phone: '5219990001111' });
    const refused = await wa.say('#contact 5215511112222');
    expect(refused.map((r) => r.text).join('\n')).not.toMatch(/C-0001|Ana/);
  });

  it('a location outside any flow is a coverage question', async () => {
    h = await startHarness();
    const [reply] = await h.chat({ user: 'loc1' }).say('#location 19.43,-99.13');
    expect(reply?.flow).toBe('cobertura');
  });

  it('answers media it cannot read with a short useful text', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p4' });
    const [reply] = await c.say('#media image');
    expect(reply?.text).toMatch(/texto/);
  });

  it('greets by the first name without honorifics; staff get a short greeting', async () => {
    h = await startHarness();
    const [hi] = await h.chat({ user: 'p6', name: 'Don Chuy' }).say('hola');
    expect(hi?.text).toMatch(/¡Hola Chuy!/);
    const [doctora] = await h.chat({ user: 'p7', name: 'Dra. Alma Ruiz' }).say('buenos días');
    expect(doctora?.text).toMatch(/¡Hola Alma!/);
    const [staff] = await h.chat({ user: 's2', role: 'staff', name: 'Marta Díaz' }).say('hola');
    expect(staff?.text).toBe('¡Hola Marta! 👋 ¿Qué quieres consultar?');
    expect(staff?.quickReplies.map((q) => q.id)).toContain('intent:estadisticas');
  });
});
