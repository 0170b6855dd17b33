import { afterEach, describe, expect, it } from 'vitest';
import type { ChatReply } from '../../src/channels/console/chatSession.ts';
import { customer, startHarness, type Harness } from '../support/harness.ts';
import { STAFF_CUSTOMERS } from '../domain/staffData.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const JUANES = ['Arturo', 'Beto', 'Ciro', 'Darío', 'Elías', 'Fito'].map((n, i) =>
  customer({ id: `J-00${i + 1}`, name: `Juan ${n}`, phone: `55870000${10 + i}`, zone: 'Poniente' }),
);

async function staffChat(extra: typeof STAFF_CUSTOMERS = []) {
  h = await startHarness({ customers: [...STAFF_CUSTOMERS, ...extra] });
  return h.chat({ user: 'staff-beto', role: 'staff' });
}
const ids = (replies: ChatReply[]): string[] => replies.flatMap((r) => r.quickReplies.map((q) => q.id));
const lines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('•'));

describe('buscar_cliente (staff)', () => {
  it('finds "jose hernandes" from the first message, one line with phone, zone, plan, status and debt', async () => {
    const chat = await staffChat();
    const replies = await chat.say('busca a jose hernandes');
    expect(replies.at(-1)?.flow).toBe('buscar_cliente');
    const text = chat.lastText();
    expect(text).toMatch(/1 resultado/);
    expect(lines(text)).toEqual(['• C-001 José Hernández · 55 1234 0001 · Norte · 50 Mbps · activo · debe $450']);
    expect(ids(replies)).toEqual(['intent:buscar_cliente', 'menu']);
  });

  it('asks what to look for when the message says nothing, and ignores accents and case', async () => {
    const chat = await staffChat();
    await chat.press('intent:buscar_cliente');
    expect(chat.lastText()).toMatch(/¿A quién busco\?/);
    await chat.say('MARIA LOPEZ');
    expect(lines(chat.lastText())).toEqual(['• C-002 María López · 55 1234 0002 · Norte · 100 Mbps · activo']);
  });

  it('finds a customer by phone in any form and by the last digits', async () => {
    const chat = await staffChat();
    await chat.say('buscar 5512340004');
    expect(chat.lastText()).toMatch(/C-004 Ana García · 55 1234 0004 · Sur · 50 Mbps · activo · debe \$900/);
    for (const q of ['5215512340004', '+52 55 1234 0004', '52 1 55 1234-0004', '55 1234 0004', '0004']) {
      await chat.press('intent:buscar_cliente');
      await chat.say(q);
      expect(lines(chat.lastText()), q).toEqual([expect.stringMatching(/^• C-004 Ana García/)]);
    }
  });

  it('lists the customers of a zone', async () => {
    const chat = await staffChat();
    await chat.press('intent:buscar_cliente');
    await chat.say('zona norte');
    const text = chat.lastText();
    expect(text).toMatch(/3 resultados para «zona Norte»/);
    expect(lines(text).map((l) => l.split(' ')[1])).toEqual(['C-001', 'C-002', 'C-008']);
  });

  it('shows 5 at a time with "Ver más" (7 matches → 5, then 2)', async () => {
    const chat = await staffChat(JUANES);
    await chat.press('intent:buscar_cliente');
    await chat.say('juan');
    let text = chat.lastText();
    expect(text).toMatch(/7 resultados para «juan» \(1-5\)/);
    expect(lines(text)).toHaveLength(5);
    expect(ids(chat.last())).toEqual(['more', 'menu']);
    expect(chat.last().at(-1)?.quickReplies[0]?.title).toBe('Ver más');
    const firstPage = lines(text);
    await chat.press('more');
    text = chat.lastText();
    expect(text).toMatch(/\(6-7\)/);
    expect(lines(text)).toHaveLength(2);
    expect(lines(text).some((l) => firstPage.includes(l))).toBe(false);
    expect(ids(chat.last())).not.toContain('more');
  });

  it('"ver más" typed works too, and another name starts a new search', async () => {
    const chat = await staffChat(JUANES);
    await chat.say('buscar juan');
    await chat.say('ver más');
    expect(lines(chat.lastText())).toHaveLength(2);
    await chat.press('intent:buscar_cliente');
    await chat.say('juan');
    await chat.say('rosa hernandez');
    expect(lines(chat.lastText())).toEqual([expect.stringMatching(/^• C-008 Rosa Hernández/)]);
  });

  it('says so when nothing matches and asks again; 3 misses offer a person', async () => {
    const chat = await staffChat();
    await chat.press('intent:buscar_cliente');
    await chat.say('zacarias');
    expect(chat.lastText()).toMatch(/No encontré clientes con «zacarias»/);
    await chat.say('9999');
    expect(chat.lastText()).toMatch(/No encontré clientes con «9999»/);
    await chat.say('xochitl');
    expect(chat.lastText()).toMatch(/no me estoy dando a entender/);
    expect(ids(chat.last())).toContain('intent:humano');
  });

  it('says goodbye to "gracias" instead of searching for it, and moves on to another staff query', async () => {
    const chat = await staffChat();
    await chat.press('intent:buscar_cliente');
    await chat.say('gracias');
    expect(chat.lastText()).not.toMatch(/No encontré|resultado/);
    expect(chat.last().at(-1)?.flow).toBe('buscar_cliente');
    await chat.press('intent:buscar_cliente');
    const replies = await chat.say('cuanto facturamos');
    expect(replies.at(-1)?.flow).toBe('finanzas');
  });

  it('leaves with "menú" while paging', async () => {
    const chat = await staffChat(JUANES);
    await chat.press('intent:buscar_cliente');
    await chat.say('juan');
    await chat.say('menú');
    expect(chat.lastText()).toMatch(/dejamos eso/);
    await chat.press('more');
    expect(lines(chat.lastText())).toEqual([]);
  });
});

describe('buscar_cliente is not for customers or prospects', () => {
  it.each([
    ['a customer', { user: 'cliente-maria', phone: '5512340002' }],
    ['a prospect', { user: 'desconocido' }],
  ])('%s gets the ordinary menu and no names or numbers', async (_who, who) => {
    h = await startHarness({ customers: STAFF_CUSTOMERS });
    const chat = h.chat(who);
    for (const line of ['busca a juan', 'buscar 5512340004', '#button intent:buscar_cliente']) {
      const replies = await chat.say(line);
      const text = chat.lastText();
      expect(replies.at(-1)?.flow).toBe('ayuda');
      expect(text).not.toMatch(/\d/);
      for (const c of STAFF_CUSTOMERS) expect(text).not.toContain(c.name.split(' ')[1]);
      expect(text).not.toMatch(/Juan|Ana García/);
    }
  });
});
