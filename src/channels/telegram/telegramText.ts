import type { MessageEntity } from 'grammy/types';

/** Telegram's limit for one message text (UTF-16 code units, as JavaScript counts). */
export const TELEGRAM_MAX_TEXT = 4096;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Splits a text into pieces of at most `max` characters, cutting at the last paragraph break,
 * else line break, else sentence end, else space inside each window, and never inside a
 * surrogate pair (emoji). Pieces are trimmed; empty pieces are dropped.
 */
export function splitText(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(sep);
      // A cut in the first fifth would leave a tiny piece; try the next kind of boundary.
      if (at > max / 5) {
        cut = sep === '. ' ? at + 1 : at;
        break;
      }
    }
    if (cut <= 0) cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * The catalogue writes emphasis WhatsApp-style (`*folio*`). Telegram gets the same text without
 * the asterisks and a bold entity instead, so no parse mode is needed and user text (names,
 * addresses) can never break the message. Only pairs on one line count.
 */
export function toTelegramText(text: string): { text: string; entities: MessageEntity[] } {
  const entities: MessageEntity[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\*([^*\n]+)\*/g)) {
    const inner = m[1] ?? '';
    if (inner.trim() === '') continue;
    out += text.slice(last, m.index);
    entities.push({ type: 'bold', offset: out.length, length: inner.length });
    out += inner;
    last = m.index + m[0].length;
  }
  out += text.slice(last);
  return { text: out, entities };
}
