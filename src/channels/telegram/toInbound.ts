import type { CallbackQuery, Message, User } from 'grammy/types';
import type { InboundMessage } from '../../core/types.ts';

/**
 * Telegram update → InboundMessage, protocol only. The message id is stable per Telegram message
 * (`m:<chat>:<message_id>`) or per button press (`cb:<callback_query id>`), so a redelivered
 * update maps to the same id and the gateway's dedupe answers it once.
 */

/** What the four commands mean to the engine (Telegram's menu of commands). */
export const COMMAND_ACTIONS: Readonly<Record<string, string>> = {
  start: 'intent:saludo',
  menu: 'menu',
  ayuda: 'menu',
  estado: 'intent:estado_reporte',
};

export const profileName = (user: User): string | undefined => [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || undefined;

function base(chatId: number, from: User, messageId: string, now: number): InboundMessage {
  const name = profileName(from);
  return { channel: 'telegram', chatId: String(chatId), userId: String(from.id), messageId, receivedAt: now, ...(name ? { profileName: name } : {}) };
}

/** The command of a `/command` or `/command@thisbot` message; undefined for another bot's command. */
export function commandOf(message: Message, botUsername: string): string | undefined {
  const entity = message.entities?.[0];
  if (!message.text || entity?.type !== 'bot_command' || entity.offset !== 0) return undefined;
  const [name = '', target] = message.text.slice(1, entity.length).split('@');
  if (target && target.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return name.toLowerCase();
}

function mediaOf(message: Message): InboundMessage['media'] | undefined {
  if (message.photo) return 'image';
  if (message.sticker) return 'sticker';
  if (message.voice || message.audio) return 'audio';
  if (message.video || message.video_note || message.animation) return 'video';
  if (message.document) return 'document';
  return undefined;
}

/** Telegram gives a shared own contact in international format, sometimes without the '+'. */
const contactPhone = (phone: string, own: boolean): string => (own && /^\d{8,15}$/.test(phone) ? `+${phone}` : phone);

/** A message in a private chat; undefined for service messages (nothing to answer). */
export function messageToInbound(message: Message, botUsername: string, now: number): InboundMessage | undefined {
  const from = message.from;
  if (!from || from.is_bot) return undefined;
  const msg = base(message.chat.id, from, `m:${message.chat.id}:${message.message_id}`, now);
  const command = commandOf(message, botUsername);
  const action = command ? COMMAND_ACTIONS[command] : undefined;
  if (action) return { ...msg, action, text: message.text ?? '' };
  if (message.text) return { ...msg, text: message.text };
  if (message.contact) {
    const own = message.contact.user_id !== undefined && message.contact.user_id === from.id;
    return { ...msg, contact: { phone: contactPhone(message.contact.phone_number, own), own } };
  }
  const location = message.location ?? message.venue?.location;
  if (location) return { ...msg, location: { latitude: location.latitude, longitude: location.longitude } };
  const media = mediaOf(message);
  if (media) return { ...msg, media, ...(message.caption ? { text: message.caption } : {}) };
  // Polls, dice, games, stories…: something the bot cannot read.
  const serviceMessage = message.new_chat_members || message.left_chat_member || message.pinned_message || message.new_chat_title;
  return serviceMessage ? undefined : { ...msg, media: 'other' };
}

/** A pressed inline button; `action` is resolved by the caller (hashed ids live in the KV). */
export function callbackToInbound(query: CallbackQuery, action: string, now: number): InboundMessage | undefined {
  const chat = query.message?.chat;
  if (!chat || query.from.is_bot) return undefined;
  return { ...base(chat.id, query.from, `cb:${query.id}`, now), action };
}
