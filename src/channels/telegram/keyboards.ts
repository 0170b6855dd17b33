import { createHash } from 'node:crypto';
import type { InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup } from 'grammy/types';
import type { QuickReply } from '../../core/types.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';

/** Telegram accepts 1–64 bytes of callback_data. */
export const CALLBACK_DATA_MAX_BYTES = 64;
const HASHED_PREFIX = '~h~';
const DAY = 24 * 3600_000;
const HASHED_TTL = 30 * DAY;
const KEYBOARD_TTL = 7 * DAY;
/** Two buttons share a row when both titles are this short (fits a phone screen). */
const PAIR_TITLE_MAX = 16;

/**
 * The callback_data of a quick reply: its id when it fits in 64 bytes; otherwise a short hash
 * whose id is kept in the KV (30 days) and looked up when the button is pressed.
 */
export async function toCallbackData(kv: KeyValueStore, id: string): Promise<string> {
  if (Buffer.byteLength(id) <= CALLBACK_DATA_MAX_BYTES && !id.startsWith(HASHED_PREFIX) && id !== '') return id;
  const hash = createHash('sha256').update(id).digest('base64url').slice(0, 24);
  await kv.set(`telegram:callback:${hash}`, id, HASHED_TTL);
  return `${HASHED_PREFIX}${hash}`;
}

/** The quick-reply id a pressed button stands for; undefined when a hashed id has expired. */
export async function fromCallbackData(kv: KeyValueStore, data: string): Promise<string | undefined> {
  if (!data.startsWith(HASHED_PREFIX)) return data;
  return kv.get<string>(`telegram:callback:${data.slice(HASHED_PREFIX.length)}`);
}

const titleLength = (title: string): number => [...title].length;

/** Groups buttons two per row when both titles are short, else one per row. */
export function layoutRows<T>(items: readonly T[], title: (item: T) => string): T[][] {
  const rows: T[][] = [];
  for (const item of items) {
    const row = rows.at(-1);
    const pairable = (x: T): boolean => titleLength(title(x)) <= PAIR_TITLE_MAX;
    if (row && row.length === 1 && pairable(row[0] as T) && pairable(item)) row.push(item);
    else rows.push([item]);
  }
  return rows;
}

export async function inlineKeyboard(kv: KeyValueStore, quickReplies: readonly QuickReply[]): Promise<InlineKeyboardButton[][]> {
  const buttons = await Promise.all(quickReplies.map(async (q) => ({ text: q.title, callback_data: await toCallbackData(kv, q.id) })));
  return layoutRows(buttons, (b) => b.text);
}

/**
 * A reply keyboard for a question that also accepts free text: the "share my number" button
 * (Telegram sends the user's own contact) and the quick replies as plain buttons, whose titles
 * come back as text and are mapped to their ids with `rememberKeyboard`.
 */
export function contactKeyboard(shareTitle: string, quickReplies: readonly QuickReply[]): ReplyKeyboardMarkup {
  const share: KeyboardButton = { text: shareTitle, request_contact: true };
  const rows: KeyboardButton[][] = [[share], ...layoutRows(quickReplies, (q) => q.title).map((row) => row.map((q) => ({ text: q.title })))];
  return { keyboard: rows, resize_keyboard: true, one_time_keyboard: true };
}

/** The reply keyboard shown in a chat: its button titles → quick-reply ids. Absent = none shown. */
const keyboardKey = (chatId: string): string => `telegram:keyboard:${chatId}`;

export const rememberKeyboard = (kv: KeyValueStore, chatId: string, titles: Record<string, string>): Promise<void> =>
  kv.set(keyboardKey(chatId), titles, KEYBOARD_TTL);

export const shownKeyboard = (kv: KeyValueStore, chatId: string): Promise<Record<string, string> | undefined> =>
  kv.get<Record<string, string>>(keyboardKey(chatId));

export const forgetKeyboard = (kv: KeyValueStore, chatId: string): Promise<void> => kv.delete(keyboardKey(chatId));
