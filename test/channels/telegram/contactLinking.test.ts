import { afterEach, describe, expect, it } from 'vitest';
import { linkKey } from '../../../src/domain/actors.ts';
import { customer } from '../../support/harness.ts';
import { startTestbed, texts, type Testbed } from './testbed.ts';

/** Linking a Telegram user to a customer through "share my number" (request_contact). */
let tb: Testbed;
afterEach(async () => tb?.close());

const ana = customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur', planMbps: 50, price: 450 });
const SERVICE = /Este es tu servicio, Ana/;

describe('telegram contact linking', () => {
  it("the user's own contact links the chat to the customer with that phone, and the link persists", async () => {
    tb = await startTestbed({ customers: [ana] });
    const user = tb.user({ id: 777, first_name: 'Ana' });
    const [ask] = await user.say('mi servicio');
    expect(ask?.message.text).toMatch(/Compartir mi número/);
    expect((ask?.markup as { keyboard: unknown[] }).keyboard[0]).toEqual([{ text: '📱 Compartir mi número', request_contact: true }]);
    expect(ask?.message.text).not.toMatch(SERVICE);

    // Telegram gives the own number in international format without '+' (52 1 mobile prefix here).
    const shown = await user.shareContact('5215512345678');
    expect(texts(shown)).toMatch(SERVICE);
    expect(texts(shown)).toMatch(/50 Mbps/);
    expect(tb.turns.at(-1)?.msg.contact).toEqual({ phone: '+5215512345678', own: true });
    expect(await tb.kv.get(linkKey('telegram', '777'))).toBe('C-0010');

    // Later turns: the chat is the customer's without sharing again.
    expect(texts(await user.say('mi servicio'))).toMatch(SERVICE);
    const menu = await user.say('/menu');
    expect(menu.at(-1)?.message.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('Reportar falla');
  });

  it("someone else's contact card does not link and shows nothing about that customer", async () => {
    tb = await startTestbed({ customers: [ana] });
    const other = tb.user({ id: 778, first_name: 'Memo' });
    await other.say('mi servicio');
    // Ana's card forwarded by Memo: the contact's user_id is Ana's Telegram id, not Memo's.
    const foreign = await other.shareContact('525512345678', 777);
    expect(tb.turns.at(-1)?.msg.contact).toEqual({ phone: '525512345678', own: false });
    expect(texts(foreign)).not.toMatch(SERVICE);
    expect(texts(foreign)).toMatch(/Compartir mi número/);
    // A phonebook card of someone not on Telegram has no user_id at all.
    const card = await other.shareContact('525512345678', null);
    expect(texts(card)).not.toMatch(SERVICE);
    expect(await tb.kv.get(linkKey('telegram', '778'))).toBeUndefined();
    expect(texts(await other.say('mi servicio'))).not.toMatch(SERVICE);
  });

  it('an own contact that matches no customer links nothing', async () => {
    tb = await startTestbed({ customers: [ana] });
    const stranger = tb.user({ id: 779, first_name: 'Luis' });
    await stranger.say('mi servicio');
    const reply = await stranger.shareContact('525599990000');
    expect(texts(reply)).not.toMatch(SERVICE);
    expect(await tb.kv.get(linkKey('telegram', '779'))).toBeUndefined();
  });
});
