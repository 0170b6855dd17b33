import { randomUUID } from 'node:crypto';
import type { Chat, Message, MessageEntity, Update, User } from 'grammy/types';
import type { EmulatorState } from './emulatorState.ts';

/** A Telegram user the tests play. */
export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export type MediaKind = 'photo' | 'voice' | 'sticker' | 'document' | 'video';

export const asUser = (u: TgUser): User => ({ is_bot: false, language_code: 'es', ...u });

export function privateChat(u: TgUser): Chat.PrivateChat {
  return { id: u.id, type: 'private', first_name: u.first_name, ...(u.last_name ? { last_name: u.last_name } : {}), ...(u.username ? { username: u.username } : {}) };
}

export const supergroup = (id: number, title: string): Chat.SupergroupChat => ({ id, type: 'supergroup', title });

/** Telegram marks a leading `/command` (optionally `@botname`) with a bot_command entity. */
function commandEntities(text: string): MessageEntity[] {
  const m = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : [];
}

const FILE = { file_id: 'AgAD-file', file_unique_id: 'AQAD-unique' };
const MEDIA: Record<MediaKind, Record<string, unknown>> = {
  photo: { photo: [{ ...FILE, width: 90, height: 90 }, { ...FILE, width: 800, height: 800 }] },
  voice: { voice: { ...FILE, duration: 4, mime_type: 'audio/ogg' } },
  sticker: { sticker: { ...FILE, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } },
  document: { document: { ...FILE, file_name: 'recibo.pdf', mime_type: 'application/pdf' } },
  video: { video: { ...FILE, width: 640, height: 480, duration: 3 } },
};

/** Builds the updates a real client would cause, stores the user's messages and queues the update. */
export class UpdateFactory {
  constructor(private readonly state: EmulatorState) {}

  private message(user: TgUser, chat: Chat, content: Record<string, unknown>): Update {
    this.state.rememberChat(chat);
    const message = {
      message_id: this.state.newMessageId(chat.id),
      from: asUser(user),
      chat,
      date: Math.floor(Date.now() / 1000),
      ...content,
    } as unknown as Message;
    this.state.storeMessage(message);
    return this.state.enqueue({ message: message as NonNullable<Update['message']> });
  }

  text(user: TgUser, text: string, chat: Chat = privateChat(user)): Update {
    const entities = commandEntities(text);
    return this.message(user, chat, { text, ...(entities.length ? { entities } : {}) });
  }

  contact(user: TgUser, phone: string, ownerId: number | undefined, firstName: string): Update {
    return this.message(user, privateChat(user), {
      contact: { phone_number: phone, first_name: firstName, ...(ownerId !== undefined ? { user_id: ownerId } : {}) },
    });
  }

  location(user: TgUser, latitude: number, longitude: number): Update {
    return this.message(user, privateChat(user), { location: { latitude, longitude } });
  }

  media(user: TgUser, kind: MediaKind, caption?: string): Update {
    return this.message(user, privateChat(user), { ...MEDIA[kind], ...(caption ? { caption } : {}) });
  }

  edit(user: TgUser, messageId: number, text: string): Update {
    const chat = privateChat(user);
    const original = this.state.getMessage(chat.id, messageId);
    if (!original || original.from?.id !== user.id) throw new Error(`user ${user.id} has no message ${messageId} to edit`);
    const edited = { ...original, text, edit_date: Math.floor(Date.now() / 1000) } as Message;
    this.state.storeMessage(edited);
    return this.state.enqueue({ edited_message: edited as NonNullable<Update['edited_message']> });
  }

  /** The user taps an inline button of a bot message (the button must be on it now). */
  press(user: TgUser, message: Message, data: string): Update {
    const current = this.state.getMessage(message.chat.id, message.message_id);
    const buttons = current?.reply_markup?.inline_keyboard.flat() ?? [];
    if (!buttons.some((b) => 'callback_data' in b && b.callback_data === data)) {
      throw new Error(`message ${message.message_id} has no button with data ${JSON.stringify(data)} (any more)`);
    }
    const id = randomUUID().replace(/-/g, '').slice(0, 19);
    this.state.callbackQueries.set(id, { answered: false });
    return this.state.enqueue({
      callback_query: { id, from: asUser(user), message: current as Message, chat_instance: `ci-${message.chat.id}`, data } as NonNullable<Update['callback_query']>,
    });
  }
}
