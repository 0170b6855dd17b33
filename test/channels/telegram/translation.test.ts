import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { fromCallbackData, layoutRows, toCallbackData } from '../../../src/channels/telegram/keyboards.ts';
import { renderReplies } from '../../../src/channels/telegram/renderReplies.ts';
import { splitText, toTelegramText } from '../../../src/channels/telegram/telegramText.ts';
import { callbackToInbound, messageToInbound } from '../../../src/channels/telegram/toInbound.ts';
import { deriveWebhookSecret, secretMatches, webhookSettings } from '../../../src/channels/telegram/webhook.ts';
import { createMemoryKeyValue } from '../../../src/state/memoryKeyValue.ts';

/** The pure translation pieces: text, keyboards, updates → InboundMessage, webhook secret. */
const from = { id: 10, is_bot: false, first_name: 'Ana', last_name: 'López' };
const chat = { id: 10, type: 'private' as const, first_name: 'Ana' };
const message = (extra: Record<string, unknown>): Message => ({ message_id: 5, date: 1, chat, from, ...extra }) as unknown as Message;

describe('splitText', () => {
  it('keeps short texts whole and cuts long ones at paragraph, line, sentence or space boundaries', () => {
    expect(splitText('hola')).toEqual(['hola']);
    const paragraphs = Array.from({ length: 6 }, (_, i) => `${i}${'a'.repeat(1500)}`).join('\n\n');
    const pieces = splitText(paragraphs);
    expect(pieces.every((p) => p.length <= 4096)).toBe(true);
    expect(pieces.join('\n\n')).toBe(paragraphs);
    const words = Array.from({ length: 1200 }, (_, i) => `palabra${i}`).join(' ');
    const byWords = splitText(words, 1000);
    expect(byWords.every((p) => p.length <= 1000 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(byWords.join(' ')).toBe(words);
  });

  it('hard-cuts a text without spaces but never inside an emoji', () => {
    const text = `${'x'.repeat(9)}😀${'y'.repeat(20)}`;
    const pieces = splitText(text, 10);
    expect(pieces[0]).toBe('x'.repeat(9));
    expect(pieces[1]?.startsWith('😀')).toBe(true);
    expect(pieces.join('')).toBe(text);
  });
});

describe('toTelegramText', () => {
  it('turns *bold* into bold entities with UTF-16 offsets, leaving lone asterisks alone', () => {
    const t = toTelegramText('📶 Tu folio es *F-000123*. Escribe *asesor* o 5 * 3');
    expect(t.text).toBe('📶 Tu folio es F-000123. Escribe asesor o 5 * 3');
    expect(t.entities).toEqual([
      { type: 'bold', offset: t.text.indexOf('F-000123'), length: 8 },
      { type: 'bold', offset: t.text.indexOf('asesor'), length: 6 },
    ]);
  });
});

describe('keyboards', () => {
  it('pairs short titles two per row and keeps long ones alone', () => {
    expect(layoutRows(['Sí', 'No', 'Hablar con persona', 'Menú'], (t) => t)).toEqual([['Sí', 'No'], ['Hablar con persona'], ['Menú']]);
  });

  it('callback_data over 64 bytes is hashed and resolved back through the KV', async () => {
    const kv = createMemoryKeyValue();
    expect(await toCallbackData(kv, 'intent:falla')).toBe('intent:falla');
    const long = `zona:${'Colonia Ñuñoa de los Álamos '.repeat(4)}`;
    const data = await toCallbackData(kv, long);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(await fromCallbackData(kv, data)).toBe(long);
    expect(await fromCallbackData(createMemoryKeyValue(), data)).toBeUndefined();
    // An id that looks like a hashed one is hashed too, so it cannot be confused.
    expect(await fromCallbackData(kv, await toCallbackData(kv, '~h~abc'))).toBe('~h~abc');
  });

  it('a reply keyboard is removed by the first plain message of a batch that shows none', async () => {
    const kv = createMemoryKeyValue();
    const shown = await renderReplies([{ text: '¿Tu número?', requestContact: true, quickReplies: [{ id: 'menu', title: 'Menú' }] }], { kv, shareContactTitle: '📱', keyboardShown: false });
    expect(shown.keyboard).toEqual({ shown: { Menú: 'menu' } });
    const next = await renderReplies([{ text: 'Listo', quickReplies: [{ id: 'a', title: 'A' }] }, { text: 'Gracias' }], { kv, shareContactTitle: '📱', keyboardShown: true });
    expect(next.messages.map((m) => m.reply_markup)).toEqual([{ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }, { remove_keyboard: true }]);
    expect(next.keyboard).toBe('removed');
    const onlyInline = await renderReplies([{ text: 'x', quickReplies: [{ id: 'a', title: 'A' }] }], { kv, shareContactTitle: '📱', keyboardShown: true });
    expect(onlyInline.keyboard).toBe('unchanged');
  });
});

describe('update → InboundMessage', () => {
  it('maps text, commands (also /cmd@thisbot), contacts, locations, media and button presses', () => {
    expect(messageToInbound(message({ text: 'hola' }), 'isp_bot', 99)).toEqual({
      channel: 'telegram', chatId: '10', userId: '10', messageId: 'm:10:5', receivedAt: 99, profileName: 'Ana López', text: 'hola',
    });
    const cmd = (text: string) => messageToInbound(message({ text, entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }] }), 'isp_bot', 1);
    expect(cmd('/start')?.action).toBe('intent:saludo');
    expect(cmd('/estado@isp_bot')?.action).toBe('intent:estado_reporte');
    expect(cmd('/ayuda')?.action).toBe('menu');
    expect(cmd('/menu@other_bot')?.action).toBeUndefined();
    expect(messageToInbound(message({ contact: { phone_number: '525512345678', first_name: 'A', user_id: 10 } }), 'b', 1)?.contact).toEqual({ phone: '+525512345678', own: true });
    expect(messageToInbound(message({ contact: { phone_number: '5512345678', first_name: 'B', user_id: 11 } }), 'b', 1)?.contact).toEqual({ phone: '5512345678', own: false });
    expect(messageToInbound(message({ location: { latitude: 1.5, longitude: -2 } }), 'b', 1)?.location).toEqual({ latitude: 1.5, longitude: -2 });
    expect(messageToInbound(message({ voice: {}, caption: undefined }), 'b', 1)?.media).toBe('audio');
    expect(messageToInbound(message({ dice: { emoji: '🎲', value: 3 } }), 'b', 1)?.media).toBe('other');
    expect(messageToInbound(message({ new_chat_members: [from] }), 'b', 1)).toBeUndefined();
    const press = callbackToInbound({ id: 'q1', from, chat_instance: 'c', message: message({ text: 'menu' }), data: 'menu' }, 'intent:falla', 7);
    expect(press).toMatchObject({ messageId: 'cb:q1', chatId: '10', userId: '10', action: 'intent:falla' });
  });
});

describe('webhook secret', () => {
  it('compares in constant time (any length) and derives the same secret from the same token', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abd', 'abc')).toBe(false);
    expect(secretMatches('a-much-longer-header', 'abc')).toBe(false);
    expect(secretMatches(undefined, 'abc')).toBe(false);
    expect(deriveWebhookSecret('1:AAA')).toBe(deriveWebhookSecret('1:AAA'));
    expect(deriveWebhookSecret('1:AAA')).not.toBe(deriveWebhookSecret('1:AAB'));
    expect(webhookSettings('https://bot.example.mx/telegram/webhook?x=1', undefined, '1:AAA')).toMatchObject({ path: '/telegram/webhook', derived: true });
    expect(() => webhookSettings('https://bot.example.mx/tg', 'no spaces allowed', '1:AAA')).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});
