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

const staff = () => h.chat({ user: 'staff-ana', role: 'staff', name: 'Ana' });
const ids = (replies: ChatReply[]): string[] => replies.flatMap((r) => r.quickReplies.map((q) => q.id));

describe('estadisticas (staff)', () => {
  it('answers "cuántos clientes tenemos" with the numbers, compact, and the next steps', async () => {
    const chat = staff();
    const replies = await chat.say('cuantos clientes tenemos en total');
    const text = chat.lastText();
    expect(replies.at(-1)?.flow).toBe('estadisticas');
    expect(text).toMatch(/Clientes \(8\): activos 6 · suspendidos 1 · cancelados 1/);
    expect(text).toMatch(/Activos por zona: Norte 3 · Sur 2 · Centro 1/);
    expect(text).toMatch(/Activos por plan: 20 Mbps 2 · 50 Mbps 3 · 100 Mbps 1/);
    expect(text).toMatch(/Reportes abiertos: 5 \(alta 1 · media 3 · baja 1\)/);
    expect(text).toMatch(/Por tipo: falla 4 · pago 1/);
    expect(text).toMatch(/Prospectos últimos 7 días: 2 · en lista de espera: 1/);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(800);
    expect(ids(replies)).toEqual(expect.arrayContaining(['intent:finanzas', 'intent:buscar_cliente', 'menu', 'zona:Norte']));
  });

  it('drills into a zone by button or by name', async () => {
    const chat = staff();
    await chat.press('intent:estadisticas');
    expect(chat.lastText()).toMatch(/Resumen de Conecta Internet/);
    await chat.press('zona:Norte');
    let text = chat.lastText();
    expect(text).toMatch(/Zona Norte/);
    expect(text).toMatch(/Clientes \(3\): activos 3 · suspendidos 0 · cancelados 0/);
    expect(text).toMatch(/Reportes abiertos: 3 \(alta 1 · media 2 · baja 0\)/);
    expect(text).not.toMatch(/Activos por zona/);
    expect(ids(chat.last())).toEqual(expect.arrayContaining(['intent:estadisticas', 'intent:finanzas', 'menu']));
    await chat.say('la zona sur');
    text = chat.lastText();
    expect(text).toMatch(/Zona Sur/);
    expect(text).toMatch(/activos 2/);
    expect(text).toMatch(/Reportes abiertos: 2 \(alta 0 · media 1 · baja 1\)/);
    expect(text).toMatch(/Prospectos últimos 7 días: 1 · en lista de espera: 0/);
  });

  it('takes the zone from the first message', async () => {
    const chat = staff();
    await chat.say('cuantos reportes hay en la zona norte');
    expect(chat.last().at(-1)?.flow).toBe('estadisticas');
    expect(chat.lastText()).toMatch(/Zona Norte[\s\S]*Reportes abiertos: 3/);
  });

  it('re-asks for a zone it does not know, and offers a person after 3 tries', async () => {
    const chat = staff();
    await chat.press('intent:estadisticas');
    await chat.say('qwerty');
    expect(chat.lastText()).toMatch(/No reconocí esa zona/);
    expect(ids(chat.last())).toEqual(expect.arrayContaining(['zona:Norte', 'zona:Sur', 'menu']));
    await chat.say('asdfg');
    expect(chat.lastText()).toMatch(/No reconocí esa zona/);
    await chat.say('qwerty');
    expect(chat.lastText()).toMatch(/no me estoy dando a entender/);
    expect(ids(chat.last())).toContain('intent:humano');
  });

  it('leaves with "menú"', async () => {
    const chat = staff();
    await chat.press('intent:estadisticas');
    await chat.say('menú');
    expect(chat.lastText()).toMatch(/dejamos eso/);
    expect(ids(chat.last())).toEqual(['intent:estadisticas', 'intent:buscar_cliente', 'intent:finanzas']);
    await chat.press('zona:Norte');
    expect(chat.lastText()).not.toMatch(/Zona Norte/);
  });
});

describe('estadisticas is not for customers or prospects', () => {
  it.each([
    ['a customer', { user: 'cliente-maria', phone: '5512340002' }],
    ['a prospect', { user: 'desconocido' }],
  ])('%s asking for numbers gets the ordinary menu and no data', async (_who, who) => {
    const chat = h.chat(who);
    for (const line of ['cuántos clientes hay', '#button intent:estadisticas', 'cuantos reportes hay en la zona norte']) {
      const replies = await chat.say(line);
      const text = chat.lastText();
      expect(replies.at(-1)?.flow).toBe('ayuda');
      expect(text).not.toMatch(/\d/);
      expect(text).not.toMatch(/activos|Reportes abiertos|Prospectos/i);
      expect(ids(replies)).not.toContain('intent:estadisticas');
    }
  });
});
