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

  it('after the summary, another stats question shows the numbers again instead of "No reconocí esa zona"', async () => {
    const chat = staff();
    await chat.say('cuantos clientes tenemos en total');
    for (const q of ['cuantos reportes abiertos hay', 'cuantos prospectos nuevos hay']) {
      await chat.say(q);
      expect(chat.lastText()).not.toMatch(/No reconocí/);
      expect(chat.lastText()).toMatch(/Resumen de Conecta Internet[\s\S]*Reportes abiertos: 5[\s\S]*Prospectos últimos 7 días: 2/);
      expect(chat.last().at(-1)?.flow).toBe('estadisticas');
    }
  });

  it('a zone typed with a typo ("nrote", "sentro") is understood', async () => {
    const chat = staff();
    await chat.press('intent:estadisticas');
    await chat.say('nrote');
    expect(chat.lastText()).toMatch(/Zona Norte[\s\S]*Clientes \(3\)/);
    await chat.say('sentro');
    expect(chat.lastText()).toMatch(/Zona Centro/);
  });

  it('anything else ends the flow quietly with the staff menu (no retry loop)', async () => {
    const chat = staff();
    await chat.press('intent:estadisticas');
    const replies = await chat.say('qwerty');
    expect(chat.lastText()).not.toMatch(/No reconocí|no te entendí/);
    expect(ids(replies)).toEqual(['intent:estadisticas', 'intent:buscar_cliente', 'intent:finanzas']);
    expect(replies.at(-1)?.flow).toBe('estadisticas');
    await chat.say('nrote');
    expect(chat.lastText()).not.toMatch(/Zona Norte/);
  });

  it('"cuantos suspendidos hay en el centro" gives the Centro status counts, also from finanzas', async () => {
    const chat = staff();
    await chat.say('cuantos suspendidos hay en el centro');
    expect(chat.lastText()).toMatch(/Zona Centro[\s\S]*activos 1 · suspendidos 0 · cancelados 1/);
    await chat.press('intent:finanzas');
    await chat.say('cuantos suspendidos hay en el centro');
    expect(chat.last().at(-1)?.flow).toBe('estadisticas');
    expect(chat.lastText()).toMatch(/Zona Centro[\s\S]*suspendidos 0/);
    expect(chat.lastText()).not.toMatch(/Finanzas/);
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
