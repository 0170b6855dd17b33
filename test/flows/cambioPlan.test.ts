import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));
const titles = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.title));

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678', planMbps: 50, price: 450 });

const cambios = async () => h.app.deps.store.listIncidents({ type: 'cambio_plan' });

describe('cambio_plan flow', () => {
  it('shows the current plan and the others with the difference; confirm → ticket, folio, staff alert', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    expect(c.lastText()).toMatch(/Tu plan actual es \*Plus 50 Mbps: \$450 al mes\*/);
    expect(c.lastText()).toMatch(/Ultra 100 Mbps: \$600 al mes \(\+\$150 al mes\)/);
    expect(c.lastText()).toMatch(/Básico 20 Mbps: \$350 al mes \(−\$100 al mes\)/);
    expect(ids(c)).toEqual(['plan:20', 'plan:100', 'menu']);
    expect(titles(c)).toEqual(['20 Mbps −$100', '100 Mbps +$150', 'Menú']);
    await c.press('plan:100');
    expect(c.lastText()).toMatch(/Confirmas el cambio a \*Ultra 100 Mbps/);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.press('yes');
    const [row] = await cambios();
    expect(c.lastText()).toContain(row!.folio);
    expect(row).toMatchObject({ type: 'cambio_plan', customerId: 'C-0001', description: 'Cambio de plan de 50 Mbps a 100 Mbps' });
    expect(h.app.alerts.filter((a) => a.kind === 'cambio_plan')).toHaveLength(1);
  });

  it('a plan in the first message is preselected', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('quiero cambiar mi plan al de 100');
    expect(c.lastText()).toMatch(/Confirmas el cambio a \*Ultra 100 Mbps/);
    await c.say('sí');
    expect((await cambios())[0]?.description).toBe('Cambio de plan de 50 Mbps a 100 Mbps');
  });

  it('choosing the current plan says so and re-asks', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    await c.say('el de 50');
    expect(c.lastText()).toMatch(/50 Mbps ya es tu plan actual/);
    expect(ids(c)).toEqual(['plan:20', 'plan:100', 'menu']);
    await c.say('el de 20');
    await c.say('no');
    expect(c.lastText()).toMatch(/tu plan se queda igual/);
    expect(await cambios()).toHaveLength(0);
  });

  it('an invalid answer re-asks with a hint; three of them offer a person', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    await c.say('asdf');
    expect(c.lastText()).toMatch(/no identifiqué el plan/);
    await c.say('qwer');
    await c.say('zxcv');
    expect(ids(c)).toContain('intent:humano');
  });

  it('"menú" while confirming writes nothing', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    await c.press('plan:20');
    await c.say('menú');
    await c.press('yes');
    expect(await cambios()).toHaveLength(0);
  });

  it('an unknown user is told how to be identified and sees no plan', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'x', channel: 'whatsapp', phone: '5599990000' });
    await c.press('intent:cambio_plan');
    expect(c.lastText()).toMatch(/¿Ya eres cliente/);
    expect(ids(c)).toEqual(['yes', 'no', 'menu']);
    await c.say('sí, ya soy cliente');
    expect(c.lastText()).toMatch(/número de WhatsApp registrado/);
    expect(c.lastText()).not.toMatch(/Plus|\$450/);
  });

  it('a prospect who names a plan after the price list is signing up: registro starts with that plan', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'p1' });
    await c.say('que planes tienen?');
    await c.say('quiero el basico');
    expect(c.lastText()).not.toMatch(/titular/);
    expect(c.last().at(-1)?.flow).toBe('registro');
    expect(c.lastText()).toMatch(/contratar el plan Básico de 20 Mbps/);
    await c.say('Pablo Gómez');
    await c.press('zona:Norte');
    expect(c.lastText()).toMatch(/número/i);
    await c.say('quiero el de 50');
    expect(c.lastText()).toMatch(/Anotado.*plan Plus 50 Mbps/s);
  });

  it('someone not verified is asked whether they are a customer: no → sign-up with the plan named', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'p2' });
    await c.say('quiero cambiar mi plan al de 100');
    expect(c.lastText()).toMatch(/¿Ya eres cliente/);
    expect(c.lastText()).not.toMatch(/titular/);
    await c.say('no, todavía no');
    expect(c.last().at(-1)?.flow).toBe('registro');
    expect(c.lastText()).toMatch(/contratar el plan Ultra de 100 Mbps/);
  });

  it('a question while choosing is answered with the prices and the difference, and does not count as a failed answer', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    await c.say('cual es la diferencia entre el de 20 y el de 50?');
    expect(c.lastText()).toMatch(/Básico 20 Mbps: \$350 al mes/);
    expect(c.lastText()).toMatch(/Plus 50 Mbps: \$450 al mes/);
    expect(c.lastText()).toMatch(/\$100 más al mes/);
    expect(c.lastText()).not.toMatch(/Confirmas/);
    expect(ids(c)).toEqual(['plan:20', 'plan:100', 'menu']);
    await c.say('¿y el de 100?');
    expect(c.lastText()).toMatch(/\$150 más al mes/);
    await c.say('asdf');
    await c.say('qwer');
    expect(ids(c)).not.toContain('intent:humano');
    await c.press('plan:100');
    await c.say('pues si');
    expect((await cambios())[0]?.description).toBe('Cambio de plan de 50 Mbps a 100 Mbps');
  });

  it('"este... no" declines the change', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:cambio_plan');
    await c.press('plan:20');
    await c.say('este... no');
    expect(c.lastText()).toMatch(/tu plan se queda igual/);
    expect(await cambios()).toHaveLength(0);
  });
});
