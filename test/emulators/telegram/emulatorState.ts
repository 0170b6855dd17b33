import { EventEmitter } from 'node:events';
import type { BotCommand, Chat, Message, Update, UserFromGetMe } from 'grammy/types';

/** One Bot API call as the emulator saw it. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** HTTP status the emulator answered with. */
  status: number;
  /** Emulator clock (ms) when the request arrived. */
  at: number;
}

/** A message the bot sent (state after later edits is in `messages`). */
export interface SentMessage {
  chatId: number;
  messageId: number;
  at: number;
  /** reply_markup as sent (inline keyboard, reply keyboard, remove_keyboard) or undefined. */
  markup: unknown;
}

export interface WebhookConfig {
  url: string;
  secret?: string;
}

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface WebhookDelivery {
  updateId: number;
  status: number | 'network-error';
}

/**
 * Everything the emulated Bot API server knows: chats, messages, the update queue, callback
 * queries, webhook and commands, the log of calls, and faults to inject. Emits `change` on any
 * change so tests can await conditions without sleeping.
 */
export class EmulatorState extends EventEmitter {
  readonly bot: UserFromGetMe;
  readonly chats = new Map<number, Chat>();
  readonly messages = new Map<string, Message>();
  readonly sent: SentMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly callbackQueries = new Map<string, { answered: boolean; payload?: Record<string, unknown> }>();
  readonly left = new Set<number>();
  readonly deliveries: WebhookDelivery[] = [];
  /** setMyCommands payloads by scope/language key ('default' for no scope). */
  readonly commands = new Map<string, BotCommand[]>();
  /** Updates not yet confirmed by getUpdates (polling) or not yet delivered (webhook). */
  pending: Update[] = [];
  webhook: WebhookConfig | undefined;
  /** Ends the getUpdates long poll in progress (a newer getUpdates terminates it with 409, as Telegram does). */
  activePoll: (() => void) | undefined;
  /** getUpdates requests terminated by another one: two instances polled the same bot at once. */
  getUpdatesConflicts = 0;
  private nextUpdateId = 1;
  private readonly nextMessageIds = new Map<number, number>();
  private readonly faults: { method: string; failure: ApiFailure; remaining: number }[] = [];

  constructor(botUsername: string, botId: number) {
    super();
    this.setMaxListeners(1000);
    this.bot = {
      id: botId,
      is_bot: true,
      first_name: 'ISP Bot',
      username: botUsername,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
    } as UserFromGetMe;
  }

  changed(): void {
    this.emit('change');
  }

  rememberChat(chat: Chat): void {
    this.chats.set(chat.id, chat);
    this.left.delete(chat.id);
  }

  newMessageId(chatId: number): number {
    const id = (this.nextMessageIds.get(chatId) ?? 0) + 1;
    this.nextMessageIds.set(chatId, id);
    return id;
  }

  storeMessage(message: Message): void {
    this.messages.set(`${message.chat.id}:${message.message_id}`, message);
  }

  getMessage(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /** Assigns the next update_id and queues the update (see TelegramEmulator for delivery). */
  enqueue(update: Omit<Update, 'update_id'>): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.pending.push(full);
    this.emit('update', full);
    this.changed();
    return full;
  }

  /** Puts an already delivered update back in the queue (Telegram redelivering the same update_id). */
  requeue(update: Update): void {
    this.pending.push(update);
    this.emit('update', update);
    this.changed();
  }

  /** getUpdates semantics: updates below `offset` are confirmed and forgotten. */
  confirmBelow(offset: number): void {
    this.pending = this.pending.filter((u) => u.update_id >= offset);
  }

  addFault(method: string, failure: ApiFailure, times: number): void {
    this.faults.push({ method: method.toLowerCase(), failure, remaining: times });
  }

  /** The injected failure for this call, if any (consumed). */
  takeFault(method: string): ApiFailure | undefined {
    const fault = this.faults.find((f) => f.method === method.toLowerCase() && f.remaining > 0);
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.failure;
  }
}
