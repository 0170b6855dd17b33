import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678', balance: 450, dueDate: '2026-03-15' });
const beto = customer({ id: 'C-0002', name: 'Beto Ruiz', phone: '5587654321', balance: 0 });

const pagos = async () => h.app.deps.store.listIncidents({ type: 'pago' });

describe('pago flow', () => {
  it('a verified customer sees balance, due date, methods and bank details', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('cómo pago');
    const text = c.lastText();
    expect(text).toMatch(/Tu saldo es \$450, vence el 15 de marzo/);
    expect(text).toMatch(/OXXO/);
    expect(text).toMatch(/CLABE: 012180001234567891/);
    expect(ids(c)).toEqual(['pay:done', 'pay:methods', 'menu']);
  });

  it('"ya pagué" → optional reference → a pago ticket with folio and a staff alert', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya pagué');
    expect(c.lastText()).toMatch(/referencia/);
    expect(ids(c)).toEqual(['skip']);
    await c.say('transferencia ref 998877 por $450');
    const [row] = await pagos();
    expect(c.lastText()).toContain(row!.folio);
    expect(row).toMatchObject({ type: 'pago', customerId: 'C-0001', status: 'abierto' });
    expect(row?.description).toMatch(/998877/);
    expect(h.app.alerts.filter((a) => a.kind === 'pago')).toHaveLength(1);
  });

  it('the "Ya pagué" button and "omitir" file a ticket without reference', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'beto', phone: beto.phone });
    await c.press('intent:pago');
    expect(c.lastText()).toMatch(/No tienes saldo pendiente/);
    await c.press('pay:done');
    await c.say('omitir');
    const [row] = await pagos();
    expect(row?.description).toMatch(/sin referencia/);
    expect(row?.customerId).toBe('C-0002');
  });

  it('an unknown user sees methods but no balance, and can report a payment for a customer number', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'x' });
    await c.press('intent:pago');
    expect(c.lastText()).toMatch(/Transferencia/);
    expect(c.lastText()).not.toMatch(/\$450|15 de marzo/);
    await c.press('pay:done');
    expect(c.lastText()).toMatch(/número de cliente/);
    await c.say('C-0001');
    expect(c.lastText()).not.toMatch(/Ana|\$450/);
    await c.press('skip');
    expect((await pagos())[0]?.customerId).toBe('C-0001');
  });

  it('an invalid answer re-asks with a hint; three of them offer a person', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:pago');
    await c.say('asdf');
    expect(c.lastText()).toMatch(/Ya realizaste tu pago/);
    expect(ids(c)).toEqual(['pay:done', 'pay:methods', 'menu']);
    await c.say('qwer');
    await c.say('zxcv');
    expect(ids(c)).toContain('intent:humano');
  });

  it('"menú" while asking the reference writes nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:pago');
    await c.press('pay:done');
    await c.say('menú');
    expect(ids(c)).toContain('intent:pago');
    expect(await pagos()).toHaveLength(0);
  });

  it('a reference that starts with "No." is kept, not taken as "skip"', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya pagué');
    await c.say('No. de operacion 8837261 en OXXO');
    const [row] = await pagos();
    expect(row?.description).toMatch(/No\. de operacion 8837261 en OXXO/);
    expect(row?.description).not.toMatch(/sin referencia/);
    expect(h.app.alerts.at(-1)?.text).toMatch(/8837261/);
  });

  it('"no tengo" alone is still a skip', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya pagué');
    await c.say('no tengo');
    expect((await pagos())[0]?.description).toMatch(/sin referencia/);
  });
});
