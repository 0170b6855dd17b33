import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678', balance: 450, dueDate: '2026-03-15' });
const beto = customer({ id: 'C-0002', name: 'Beto Ruiz', phone: '5587654321', balance: 0 });

const pagos = async () => h.app.deps.store.listIncidents({ type: 'pago' });

describe('pago flow', () => {
  it('"cuánto debo?" answers balance and due date first, short; the methods only when asked', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('cuanto debo?');
    expect(c.lastText()).toMatch(/Tu saldo es de \$450 y vence el 15 de marzo/);
    expect(c.lastText()).not.toMatch(/CLABE|OXXO/);
    expect(c.lastText().length).toBeLessThan(200);
    expect(ids(c)).toEqual(['pay:methods', 'pay:done', 'menu']);
    await c.press('pay:methods');
    expect(c.lastText()).toMatch(/OXXO/);
    expect(c.lastText()).toMatch(/CLABE: 012180001234567891/);
  });

  it('"cómo pago" and "a qué cuenta deposito" show the methods and bank details at once', async () => {
    h = await startHarness({ customers: [ana, beto] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('cómo pago');
    expect(c.lastText()).toMatch(/Tu saldo es de \$450/);
    expect(c.lastText()).toMatch(/CLABE: 012180001234567891/);
    expect(ids(c)).toEqual(['pay:done', 'menu']);
    await c.say('menú');
    await c.say('a que cuenta deposito');
    expect(c.lastText()).toMatch(/CLABE/);
  });

  it('a past due date reads "venció el", not "vence el"', async () => {
    const late = customer({ id: 'C-0003', name: 'Carla Ruiz', phone: '5511223344', balance: 450, dueDate: '2026-03-01' });
    h = await startHarness({ customers: [late] });
    const c = h.chat({ user: 'carla', phone: late.phone });
    await c.say('cuanto debo?');
    expect(c.lastText()).toMatch(/venció el 1 de marzo/);
    expect(c.lastText()).not.toMatch(/vence el/);
  });

  it('"ya hice el pago de 450 … referencia 88213" files at once with that amount and reference', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya hice el pago de 450 por transferencia hoy, referencia 88213');
    expect(c.lastText()).not.toMatch(/Si tienes el número de referencia/);
    expect(c.lastText()).toMatch(/aviso de pago de \$450 \(referencia 88213\) con el folio \*F-\d{6}\*/);
    const [row] = await pagos();
    expect(row?.description).toMatch(/450 por transferencia hoy, referencia 88213/);
    expect(h.app.alerts.at(-1)?.text).toMatch(/88213/);
  });

  it('"ya te lo dije arriba" is never stored as the reference: the earlier message is used, or it asks again', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('ya pagué');
    await c.say('ya te lo dije arriba');
    expect(c.lastText()).toMatch(/escribes de nuevo la referencia/);
    expect(await pagos()).toHaveLength(0);
    await c.say('menú');
    await c.say('hice una transferencia de $450, referencia 55123');
    await c.press('intent:pago');
    await c.press('pay:done');
    await c.say('ya te lo dije arriba');
    const [row] = await pagos();
    expect(row?.description).toMatch(/55123/);
    expect(row?.description).not.toMatch(/te lo dije/);
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
    expect(c.lastText()).toMatch(/escríbenos desde el número registrado/);
    await c.press('pay:methods');
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
    expect(ids(c)).toEqual(['pay:methods', 'pay:done', 'menu']);
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
