import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

const ana = customer({ id: 'C-1', name: 'Ana López', phone: '525511112222', planMbps: 50, price: undefined, dueDate: '2026-03-15', balance: 0 });
const beto = customer({ id: 'C-2', name: 'Beto Ruiz', phone: '525533334444', planMbps: 100, price: 550, status: 'suspendido', dueDate: '2026-02-28', balance: 1100 });

describe('mi_servicio flow', () => {
  it("shows the customer's own plan, price, status, due date, balance and tickets", async () => {
    h = await startHarness({ customers: [ana, beto] });
    await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-1', description: 'lento' });
    const c = h.chat({ user: 'ana', phone: '5511112222' });
    await c.say('quiero ver mi servicio');
    const text = c.lastText();
    expect(c.last().at(-1)?.flow).toBe('mi_servicio');
    expect(text).toMatch(/Plus de 50 Mbps/);
    expect(text).toMatch(/Mensualidad: \$450/);
    expect(text).toMatch(/activo/);
    expect(text).toMatch(/15 de marzo/);
    expect(text).toMatch(/al corriente/);
    expect(text).toMatch(/1 reporte abierto/);
    expect(ids(c)).toEqual(['intent:pago', 'intent:falla', 'intent:cambio_plan', 'menu']);
  });

  it('a suspended customer sees the balance and a hint to pay', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'beto', phone: '5533334444' });
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/suspendido.*pago/s);
    expect(c.lastText()).toMatch(/Saldo pendiente: \$1,100/);
    expect(c.lastText()).toMatch(/Mensualidad: \$550/);
    expect(c.lastText()).toMatch(/28 de febrero/);
  });

  it("never shows another customer's data, even if their phone is typed", async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'ana', phone: '5511112222' });
    await c.press('intent:mi_servicio');
    await c.say('mi servicio del 55 3333 4444');
    const text = c.lastText();
    expect(text).toMatch(/Ana/);
    expect(text).not.toMatch(/Beto|\$550|\$1,100|suspendido|100 Mbps/);
  });

  it('the monthly price falls back to the plan price from config', async () => {
    h = await startHarness({ customers: [ana], tweak: (cfg) => void (cfg.plans.find((p) => p.mbps === 50)!.price = 470) });
    const c = h.chat({ user: 'ana', phone: '5511112222' });
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/Mensualidad: \$470/);
  });

  it('an unknown user off Telegram is told to write from the registered WhatsApp and learns nothing', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'x' });
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/No pude identificarte/);
    expect(c.lastText()).toMatch(/WhatsApp/);
    expect(ids(c)).toEqual(['intent:registro', 'menu']);
    await c.say('mi servicio 5533334444');
    expect(c.lastText()).not.toMatch(/Beto|suspendido|\$1,100|100 Mbps/);
  });

  it('on Telegram a typed number is refused, an invalid answer re-asks, and the own shared contact identifies', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: '9001', channel: 'telegram' });
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/Compartir mi número/);
    await c.say('5533334444');
    expect(c.lastText()).toMatch(/Por seguridad/);
    expect(c.lastText()).not.toMatch(/Beto|suspendido|\$1,100/);
    await c.say('#contact +52 1 55 3333 4444');
    expect(c.lastText()).toMatch(/Beto/);
    expect(c.lastText()).toMatch(/Saldo pendiente: \$1,100/);
    // The chat is now linked: the next request is answered directly.
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/Beto/);
  });

  it('on Telegram three invalid answers offer a person; "menú" escapes', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: '9002', channel: 'telegram' });
    await c.press('intent:mi_servicio');
    await c.say('menú');
    expect(c.lastText()).toMatch(/dejamos eso/i);
    await c.press('intent:mi_servicio');
    // A typed number is a failed answer like any other (counted), and is never looked up.
    await c.say('5511112222');
    expect(c.lastText()).toMatch(/Por seguridad/);
    expect(c.last().at(-1)?.flow).toBe('mi_servicio');
    await c.say('no sé');
    expect(c.lastText()).toMatch(/Por seguridad/);
    await c.say('12345');
    expect(ids(c)).toContain('intent:humano');
    expect(c.lastText()).toMatch(/persona/);
    expect(c.lastText()).not.toMatch(/Ana|Plus/);
  });

  it('a shared contact that is not a customer reveals nothing and offers registro', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: '9003', channel: 'telegram' });
    await c.press('intent:mi_servicio');
    await c.say('#contact 5599998888');
    expect(c.lastText()).toMatch(/No encontré/);
    expect(ids(c)).toContain('intent:registro');
  });

  it('a past due date reads "Venció el…" with the balance, never "Próximo pago"; the customer number is shown', async () => {
    const late = customer({ id: 'C-7', name: 'Carmen Ruiz', phone: '525577778888', dueDate: '2025-11-16', balance: 450 });
    h = await startHarness({ customers: [late] });
    const c = h.chat({ user: 'carmen', phone: '5577778888' });
    await c.press('intent:mi_servicio');
    expect(c.lastText()).toMatch(/Venció el 16 de noviembre/);
    expect(c.lastText()).not.toMatch(/Próximo pago/);
    expect(c.lastText()).toMatch(/Saldo pendiente: \$450/);
    expect(c.lastText()).toMatch(/Número de cliente: \*C-7\*/);
  });

  it('"cuál es mi número de cliente" answers with the number first', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: '5511112222' });
    const replies = await c.say('cual es mi numero de cliente');
    expect(replies[0]?.text).toMatch(/Tu número de cliente es \*C-1\*/);
    expect(c.lastText()).toMatch(/Próximo pago: 15 de marzo/);
  });
});
