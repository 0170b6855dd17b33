import { afterEach, describe, expect, it } from 'vitest';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

describe('planes flow', () => {
  it('lists every plan from config, cheapest first, with contract and coverage buttons', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p1' });
    await c.say('¿qué planes tienen?');
    const text = c.lastText();
    expect(c.last().at(-1)?.flow).toBe('planes');
    expect(text).toMatch(/Básico 20 Mbps: \$350/);
    expect(text).toMatch(/Plus 50 Mbps: \$450/);
    expect(text).toMatch(/Ultra 100 Mbps: \$600/);
    expect(text.indexOf('$350')).toBeLessThan(text.indexOf('$450'));
    expect(text.indexOf('$450')).toBeLessThan(text.indexOf('$600'));
    expect(ids(c)).toEqual(['intent:registro', 'intent:cobertura', 'menu']);
  });

  it('answers the price of a named plan first', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p2' });
    await c.say('cuánto cuesta el de 50');
    expect(c.last()[0]?.text).toMatch(/Plus de 50 Mbps cuesta \$450/);
    expect(c.lastText()).toMatch(/Ultra 100 Mbps/);
  });

  it('prices and order follow config', async () => {
    h = await startHarness({
      tweak: (cfg) => {
        cfg.plans.find((p) => p.mbps === 100)!.price = 320;
      },
    });
    const c = h.chat({ user: 'p3' });
    await c.press('intent:planes');
    const text = c.lastText();
    expect(text).toMatch(/Ultra 100 Mbps: \$320/);
    expect(text).not.toMatch(/\$600/);
    expect(text.indexOf('$320')).toBeLessThan(text.indexOf('$350'));
  });

  it('tells a customer their plan and offers a change', async () => {
    h = await startHarness({ customers: [customer({ id: 'C-1', name: 'Ana López', phone: '525511112222', planMbps: 20, price: undefined })] });
    const c = h.chat({ user: 'ana', phone: '5511112222' });
    await c.press('intent:planes');
    expect(c.lastText()).toMatch(/Tú tienes el plan Básico de 20 Mbps, por \$350 al mes/);
    expect(ids(c)).toEqual(['intent:cambio_plan', 'menu']);
  });

  it('is a one-turn flow: its buttons start the next flow and "menú" returns to the menu', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p4' });
    await c.press('intent:planes');
    await c.press('intent:registro');
    expect(c.last().at(-1)?.flow).toBe('registro');
    await c.say('menú');
    expect(c.lastText()).toMatch(/dejamos eso/i);
    await c.press('intent:planes');
    await c.say('menu');
    expect(ids(c)).toContain('intent:planes');
  });

  it('recommends a plan for the use described, and compares two plans', async () => {
    h = await startHarness();
    const c = h.chat({ user: 'p5' });
    const [advice] = await c.say('cual me recomiendas para ver netflix y que mis hijos hagan tarea?');
    expect(advice?.text).toMatch(/te recomiendo el plan \*Plus 50 Mbps: \$450 al mes\*/);
    expect(ids(c)).toEqual(['intent:registro', 'intent:cobertura', 'menu']);
    const [diff] = await c.say('¿qué diferencia hay entre el de 50 y el de 100?');
    expect(diff?.text).toMatch(/El de 100 Mbps cuesta \$150 más al mes y te da 50 Mbps más/);
  });
});
