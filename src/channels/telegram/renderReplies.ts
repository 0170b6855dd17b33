import type { InlineKeyboardMarkup, MessageEntity, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Reply } from '../../core/types.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { contactKeyboard, inlineKeyboard } from './keyboards.ts';
import { splitText, toTelegramText } from './telegramText.ts';

/** One sendMessage call. */
export interface OutgoingMessage {
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
}

export interface RenderedReplies {
  messages: OutgoingMessage[];
  /** The reply keyboard after this batch: titles → ids when one is shown, `removed`, or unchanged. */
  keyboard: { shown: Record<string, string> } | 'removed' | 'unchanged';
}

/** A text as Telegram messages: split at clean boundaries, `*bold*` as entities. */
export function textMessages(text: string): OutgoingMessage[] {
  return splitText(text).map((piece) => {
    const formatted = toTelegramText(piece);
    return { text: formatted.text, ...(formatted.entities.length ? { entities: formatted.entities } : {}) };
  });
}

/**
 * Replies → sendMessage calls. Quick replies become an inline keyboard on the last piece of
 * their reply. A reply with `requestContact` gets a reply keyboard instead (share my number +
 * the quick replies as buttons, free text still possible). When a reply keyboard was shown and
 * this batch shows none, the first message without markup removes it.
 */
export async function renderReplies(
  replies: readonly Reply[],
  options: { kv: KeyValueStore; shareContactTitle: string; keyboardShown: boolean },
): Promise<RenderedReplies> {
  const messages: OutgoingMessage[] = [];
  let shown: Record<string, string> | undefined;
  for (const reply of replies) {
    const pieces = textMessages(reply.text);
    const last = pieces.at(-1);
    if (!last) continue;
    const quick = reply.quickReplies ?? [];
    if (reply.requestContact) {
      last.reply_markup = contactKeyboard(options.shareContactTitle, quick);
      shown = Object.fromEntries(quick.map((q) => [q.title, q.id]));
    } else if (quick.length > 0) {
      last.reply_markup = { inline_keyboard: await inlineKeyboard(options.kv, quick) };
    }
    messages.push(...pieces);
  }
  if (shown) return { messages, keyboard: { shown } };
  if (!options.keyboardShown) return { messages, keyboard: 'unchanged' };
  const plain = messages.find((m) => m.reply_markup === undefined);
  if (!plain) return { messages, keyboard: 'unchanged' };
  plain.reply_markup = { remove_keyboard: true };
  return { messages, keyboard: 'removed' };
}
