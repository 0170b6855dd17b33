import type { BotCommand, Chat, InlineKeyboardButton, Message, Update } from 'grammy/types';
import { startBotApiServer } from './botApiServer.ts';
import { EmulatorState, type ApiCall, type ApiFailure, type SentMessage } from './emulatorState.ts';
import { privateChat, UpdateFactory, type MediaKind, type TgUser } from './simulatedUser.ts';

export type { TgUser, MediaKind } from './simulatedUser.ts';
export { privateChat, supergroup } from './simulatedUser.ts';
export type { ApiCall, ApiFailure } from './emulatorState.ts';

export interface BotMessage extends SentMessage {
  /** The message as it is now (after edits). */
  message: Message;
}

export const TEST_TOKEN = '123456789:AAEmulatorTokenForTests_0123456789ab';

/**
 * A small Telegram Bot API server on 127.0.0.1 for end-to-end tests through the real grammY
 * client: getMe, getUpdates (real long polling; a newer getUpdates ends a waiting one with 409
 * "terminated by other getUpdates request", as Telegram does), sendMessage, editMessageReplyMarkup,
 * answerCallbackQuery, setMyCommands/getMyCommands, setWebhook/deleteWebhook/getWebhookInfo
 * (webhook mode POSTs updates with X-Telegram-Bot-Api-Secret-Token, redelivering on non-2xx),
 * leaveChat. Tests play users (text, commands, button taps, contacts, locations, media, edits),
 * inject failures (`failNext('sendMessage', {error_code: 429, …, parameters: {retry_after: 1}})`)
 * and await conditions with `waitFor`.
 */
export class TelegramEmulator {
  readonly state: EmulatorState;
  private readonly updates: UpdateFactory;
  private delivering = false;
  private closed = false;

  private constructor(
    readonly token: string,
    readonly apiRoot: string,
    state: EmulatorState,
    private readonly closeServer: () => Promise<void>,
  ) {
    this.state = state;
    this.updates = new UpdateFactory(state);
    const kick = (): void => void this.deliverWebhook();
    state.on('update', kick);
    state.on('webhook', kick);
  }

  static async start(options: { token?: string; botUsername?: string } = {}): Promise<TelegramEmulator> {
    const token = options.token ?? TEST_TOKEN;
    const state = new EmulatorState(options.botUsername ?? 'conecta_isp_bot', Number(token.split(':')[0]));
    const server = await startBotApiServer(state, token);
    return new TelegramEmulator(token, server.root, state, server.close);
  }

  // --- what users do ---
  /** The user opens the chat with the bot (the bot may now write to them). */
  openChat(user: TgUser): void {
    this.state.rememberChat(privateChat(user));
  }
  sendText(user: TgUser, text: string, chat: Chat = privateChat(user)): Update {
    return this.updates.text(user, text, chat);
  }
  /** Shares a contact: the user's own (`ownerId` = their id), someone else's, or a card of nobody on Telegram (null). */
  shareContact(user: TgUser, phone: string, ownerId: number | null = user.id): Update {
    return this.updates.contact(user, phone, ownerId ?? undefined, user.first_name);
  }
  sendLocation(user: TgUser, latitude: number, longitude: number): Update {
    return this.updates.location(user, latitude, longitude);
  }
  sendMedia(user: TgUser, kind: MediaKind, caption?: string): Update {
    return this.updates.media(user, kind, caption);
  }
  editText(user: TgUser, messageId: number, text: string): Update {
    return this.updates.edit(user, messageId, text);
  }
  pressButton(user: TgUser, message: Message, data: string): Update {
    return this.updates.press(user, message, data);
  }
  /** Taps the inline button titled `title` on the latest bot message in the user's chat that has it. */
  pressButtonTitled(user: TgUser, title: string): Update {
    const found = this.botMessagesIn(user.id)
      .map((m) => m.message)
      .reverse()
      .flatMap((message) => inlineButtons(message).filter((b) => b.text === title).map((b) => ({ message, data: b.callback_data })))[0];
    if (!found) throw new Error(`no inline button titled ${JSON.stringify(title)} in chat ${user.id}`);
    return this.updates.press(user, found.message, found.data);
  }
  /** Telegram delivering the same update again (same update_id). */
  redeliver(update: Update): void {
    this.state.requeue(update);
  }

  // --- what the bot did ---
  botMessagesIn(chatId: number): BotMessage[] {
    return this.state.sent
      .filter((s) => s.chatId === chatId)
      .map((s) => ({ ...s, message: this.state.getMessage(s.chatId, s.messageId) as Message }));
  }
  callsOf(method: string): ApiCall[] {
    return this.state.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase());
  }
  commands(): BotCommand[] | undefined {
    return this.state.commands.get('default:');
  }
  failNext(method: string, failure: ApiFailure, times = 1): void {
    this.state.addFault(method, failure, times);
  }

  /**
   * Resolves with the first defined value of `check`, re-evaluated on every emulator change and
   * every 20 ms (for conditions outside the emulator); rejects at the deadline naming `what`.
   */
  waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const evaluate = (): void => {
        let value: T | undefined | false;
        try {
          value = check();
        } catch (err) {
          finish();
          reject(err as Error);
          return;
        }
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
        }
      };
      const finish = (): void => {
        clearTimeout(deadline);
        clearInterval(poll);
        this.state.off('change', evaluate);
      };
      const deadline = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(evaluate, 20);
      this.state.on('change', evaluate);
      evaluate();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.state.removeAllListeners();
    await this.closeServer();
  }

  /** Webhook mode: POSTs pending updates one at a time, like Telegram, retrying a non-2xx a few times. */
  private async deliverWebhook(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      let attempts = 0;
      while (!this.closed && this.state.webhook && this.state.pending.length > 0) {
        const update = this.state.pending[0] as Update;
        const { url, secret } = this.state.webhook;
        const status = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(secret ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}) },
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(10_000),
        }).then(
          (r) => r.status,
          () => 'network-error' as const,
        );
        this.state.deliveries.push({ updateId: update.update_id, status });
        const delivered = typeof status === 'number' && status >= 200 && status < 300;
        if (delivered || ++attempts >= 5) {
          this.state.pending.shift();
          attempts = 0;
        } else {
          await new Promise((r) => setTimeout(r, 100));
        }
        this.state.changed();
      }
    } finally {
      this.delivering = false;
    }
  }
}

export const inlineButtons = (message: Message): InlineKeyboardButton.CallbackButton[] =>
  (message.reply_markup?.inline_keyboard.flat() ?? []).filter((b): b is InlineKeyboardButton.CallbackButton => 'callback_data' in b);

export const startTelegramEmulator = TelegramEmulator.start;
