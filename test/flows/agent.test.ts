import { afterEach, describe, expect, it } from 'vitest';
import { quietKey } from '../../src/domain/actors.ts';
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

  it('stays quiet while a person handles the chat, until the customer writes "menú"', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'c3', phone: '5511112222' });
    await h.app.deps.kv.set(quietKey('console:c3'), 1, 60_000);
    expect(await c.say('hola?')).toEqual([]);
    const [menu] = await c.say('menú');
    expect(menu?.quickReplies.length).toBeGreaterThan(0);
    expect((await c.say('hola')).length).toBeGreaterThan(0);
  });

  it('answers media it cannot read with a short useful text', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p4' });
    const [reply] = await c.say('#media image');
    expect(reply?.text).toMatch(/texto/);
  });
});
