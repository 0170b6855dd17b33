import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatReply } from '../../src/channels/console/chatSession.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { STAFF_CUSTOMERS, seedActivity } from '../domain/staffData.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ customers: STAFF_CUSTOMERS });
  await seedActivity(h.app.deps.store);
});
afterEach(() => h.close());

const staff = () => h.chat({ user: 'staff-caro', role: 'staff' });
const ids = (replies: ChatReply[]): string[] => replies.flatMap((r) => r.quickReplies.map((q) => q.id));

describe('finanzas (staff)', () => {
  it('shows revenue, ARPU, overdue and the insights the data supports', async () => {
    const chat = staff();
    const replies = await chat.press('intent:finanzas');
    const text = chat.lastText();
    expect(text).toMatch(/Ingreso mensual \(clientes activos\): \$2,600 de 6 clientes/);
    expect(text).toMatch(/ARPU\): \$433\.33/);
    expect(text).toMatch(/Por plan: 20 Mbps \$650 \(2\) · 50 Mbps \$1,350 \(3\) · 100 Mbps \$600 \(1\)/);
    expect(text).toMatch(/Por zona: Norte \$1,500 \(3\) · Sur \$750 \(2\) · Centro \$350 \(1\)/);
    expect(text).toMatch(/Vencidos: 3 cuentas, \$2,700 por cobrar/);
    expect(text).toMatch(/La zona con más reportes de falla en los últimos 7 días es Norte \(3\)/);
    expect(text).toMatch(/Oriente concentra el 50 % del adeudo vencido/);
    expect(text).toMatch(/Esta semana vence el pago de 3 clientes \(\$1,250\)/);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(800);
    expect(ids(replies)).toEqual(expect.arrayContaining(['overdue', 'zona:Sur', 'intent:estadisticas', 'intent:buscar_cliente', 'menu']));
  });

  it('answers "cuánto facturamos" in free text', async () => {
    const chat = staff();
    const replies = await chat.say('cuanto facturamos este mes');
    expect(replies.at(-1)?.flow).toBe('finanzas');
    expect(chat.lastText()).toMatch(/\$2,600/);
  });

  it('lists the overdue accounts, largest first', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    await chat.press('overdue');
    const items = chat.lastText().split('\n').filter((l) => l.startsWith('•'));
    expect(chat.lastText()).toMatch(/Cuentas vencidas \(3, \$2,700\)/);
    expect(items).toEqual([
      '• C-006 Luisa Martínez · Oriente · $1,350 · 18 días',
      '• C-004 Ana García · Sur · $900 · 9 días',
      '• C-001 José Hernández · Norte · $450 · 5 días',
    ]);
    await chat.say('quienes nos deben');
    expect(chat.lastText()).toMatch(/Cuentas vencidas \(3/);
  });

  it('shows one zone when asked', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    await chat.say('sur');
    const text = chat.lastText();
    expect(text).toMatch(/Finanzas zona Sur/);
    expect(text).toMatch(/\$750 de 2 clientes/);
    expect(text).toMatch(/ARPU\): \$375/);
    expect(text).toMatch(/Vencidos: 1 cuenta, \$900/);
    expect(text).not.toMatch(/\(s\)/);
    expect(text).not.toMatch(/Por zona/);
  });

  it('counts read naturally in the singular ("1 cliente", never "(s)")', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    await chat.say('centro');
    const text = chat.lastText();
    expect(text).toMatch(/\$350 de 1 cliente\n/);
    expect(text).toMatch(/vence el pago de 1 cliente \(/);
    expect(text).not.toMatch(/1 clientes|\(s\)/);
  });

  it('re-asks with a hint, and offers a person after 3 tries', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    await chat.say('qwerty');
    expect(chat.lastText()).toMatch(/No te entendí/);
    expect(ids(chat.last())).toEqual(expect.arrayContaining(['overdue', 'zona:Norte']));
    await chat.say('asdfg');
    await chat.say('qwerty');
    expect(chat.lastText()).toMatch(/no me estoy dando a entender/);
    expect(ids(chat.last())).toContain('intent:humano');
  });

  it('moves on to another staff query asked mid-flow', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    const replies = await chat.say('buscar al 0008');
    expect(replies.at(-1)?.flow).toBe('buscar_cliente');
    expect(chat.lastText()).toMatch(/C-008 Rosa Hernández/);
  });

  it('leaves with "menú"', async () => {
    const chat = staff();
    await chat.press('intent:finanzas');
    await chat.say('menú');
    expect(chat.lastText()).toMatch(/dejamos eso/);
    await chat.press('overdue');
    expect(chat.lastText()).not.toMatch(/Cuentas vencidas/);
  });
});

describe('finanzas is not for customers or prospects', () => {
  it.each([
    ['a customer', { user: 'cliente-maria', phone: '5512340002' }],
    ['a prospect', { user: 'desconocido' }],
  ])('%s asking about revenue gets the ordinary menu and no numbers', async (_who, who) => {
    const chat = h.chat(who);
    for (const line of ['cuánto facturamos', '#button intent:finanzas', '#button overdue']) {
      const replies = await chat.say(line);
      const text = chat.lastText();
      expect(text).not.toMatch(/\d/);
      expect(text).not.toMatch(/Ingreso|vencid|Luisa|Oriente/i);
      expect(replies.some((r) => r.flow === 'finanzas')).toBe(false);
    }
  });
});
