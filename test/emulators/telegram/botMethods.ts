import type { BotCommand, Chat, InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types';
import type { ApiFailure, EmulatorState } from './emulatorState.ts';

/** What a method handler returns: a result, or a Bot API error. */
export type MethodOutcome = { ok: true; result: unknown } | { ok: false; failure: ApiFailure };

export type MethodHandler = (state: EmulatorState, payload: Record<string, unknown>, signal: AbortSignal) => Promise<MethodOutcome> | MethodOutcome;

const ok = (result: unknown): MethodOutcome => ({ ok: true, result });
const fail = (error_code: number, description: string): MethodOutcome => ({ ok: false, failure: { error_code, description } });
const badRequest = (what: string): MethodOutcome => fail(400, `Bad Request: ${what}`);

const MAX_TEXT = 4096;
const MAX_CALLBACK_DATA = 64;
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** Bot API parameters arrive as JSON values, or as JSON-serialised strings in form posts. */
function objectParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const numberParam = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

function chatOf(state: EmulatorState, chatId: unknown): Chat | MethodOutcome {
  const id = numberParam(chatId);
  const chat = id === undefined ? undefined : state.chats.get(id);
  if (!chat) return badRequest('chat not found');
  if (state.left.has(chat.id)) return fail(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
  return chat;
}

const isOutcome = (v: unknown): v is MethodOutcome => typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';

function checkEntities(text: string, entities: unknown): MethodOutcome | undefined {
  if (entities === undefined) return undefined;
  if (!Array.isArray(entities)) return badRequest("can't parse entities: not an array");
  for (const e of entities as MessageEntity[]) {
    if (typeof e.offset !== 'number' || typeof e.length !== 'number' || e.length <= 0 || e.offset < 0 || e.offset + e.length > text.length) {
      return badRequest("can't parse entities: entity out of the text");
    }
  }
  return undefined;
}

/** Validates reply_markup like Telegram does for the fields we use. */
function checkMarkup(markup: unknown): MethodOutcome | undefined {
  if (markup === undefined) return undefined;
  if (typeof markup !== 'object' || markup === null) return badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) {
    const rows = m.inline_keyboard;
    if (!Array.isArray(rows)) return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array');
    for (const row of rows) {
      if (!Array.isArray(row)) return badRequest('inline keyboard rows must be arrays');
      for (const b of row as Record<string, unknown>[]) {
        if (typeof b.text !== 'string' || b.text === '') return badRequest('text buttons are unallowed in the inline keyboard');
        const data = b.callback_data;
        if (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > MAX_CALLBACK_DATA) return badRequest('BUTTON_DATA_INVALID');
      }
    }
    return undefined;
  }
  if ('keyboard' in m) {
    if (!Array.isArray(m.keyboard)) return badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array');
    for (const row of m.keyboard) {
      if (!Array.isArray(row)) return badRequest('keyboard rows must be arrays');
      for (const b of row as unknown[]) {
        const text = typeof b === 'string' ? b : (b as { text?: unknown }).text;
        if (typeof text !== 'string' || text === '') return badRequest('keyboard button text is empty');
      }
    }
    return undefined;
  }
  if (m.remove_keyboard === true || m.force_reply === true) return undefined;
  return badRequest('unsupported reply_markup');
}

const sendMessage: MethodHandler = (state, p) => {
  const chat = chatOf(state, p.chat_id);
  if (isOutcome(chat)) return chat;
  const text = typeof p.text === 'string' ? p.text : '';
  if (text.trim() === '') return badRequest('message text is empty');
  if (text.length > MAX_TEXT) return badRequest('message is too long');
  const entities = objectParam(p.entities);
  const markup = objectParam(p.reply_markup);
  const invalid = checkEntities(text, entities) ?? checkMarkup(markup);
  if (invalid) return invalid;
  const message = {
    message_id: state.newMessageId(chat.id),
    from: state.bot,
    chat,
    date: Math.floor(Date.now() / 1000),
    text,
    ...(Array.isArray(entities) && entities.length ? { entities: entities as MessageEntity[] } : {}),
    ...(markup && typeof markup === 'object' && 'inline_keyboard' in markup ? { reply_markup: markup as InlineKeyboardMarkup } : {}),
  } as Message.TextMessage;
  state.storeMessage(message);
  // The markup as sent: reply keyboards are not part of the returned Message.
  state.sent.push({ chatId: chat.id, messageId: message.message_id, at: Date.now(), markup });
  state.changed();
  return ok(message);
};

const editMessageReplyMarkup: MethodHandler = (state, p) => {
  const chat = chatOf(state, p.chat_id);
  if (isOutcome(chat)) return chat;
  const messageId = numberParam(p.message_id);
  const message = messageId === undefined ? undefined : state.getMessage(chat.id, messageId);
  if (!message || message.from?.id !== state.bot.id) return badRequest('message to edit not found');
  const markup = objectParam(p.reply_markup);
  const invalid = checkMarkup(markup);
  if (invalid) return invalid;
  const next = markup && typeof markup === 'object' && 'inline_keyboard' in markup && (markup as InlineKeyboardMarkup).inline_keyboard.length ? (markup as InlineKeyboardMarkup) : undefined;
  if (JSON.stringify(next) === JSON.stringify(message.reply_markup)) {
    return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  const edited = { ...message, edit_date: Math.floor(Date.now() / 1000) } as Message;
  if (next) edited.reply_markup = next;
  else delete edited.reply_markup;
  state.storeMessage(edited);
  state.changed();
  return ok(edited);
};

const answerCallbackQuery: MethodHandler = (state, p) => {
  const id = typeof p.callback_query_id === 'string' ? p.callback_query_id : '';
  const query = state.callbackQueries.get(id);
  if (!query || query.answered) return badRequest('query is too old and response timeout expired or query ID is invalid');
  query.answered = true;
  query.payload = p;
  state.changed();
  return ok(true);
};

const getUpdates: MethodHandler = async (state, p, signal) => {
  if (state.webhook) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  const offset = numberParam(p.offset) ?? 0;
  const limit = Math.min(100, Math.max(1, numberParam(p.limit) ?? 100));
  const timeout = Math.max(0, numberParam(p.timeout) ?? 0);
  // Telegram allows one getUpdates at a time per bot: a newer request terminates the waiting one.
  state.activePoll?.();
  state.confirmBelow(offset);
  if (state.pending.length === 0 && timeout > 0) {
    // Long polling: answer as soon as an update arrives, at the timeout, or when the client goes away.
    let terminated = false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        state.off('update', done);
        signal.removeEventListener('abort', done);
        if (state.activePoll === terminate) state.activePoll = undefined;
        resolve();
      };
      const terminate = (): void => {
        terminated = true;
        done();
      };
      const timer = setTimeout(done, timeout * 1000);
      state.on('update', done);
      signal.addEventListener('abort', done);
      state.activePoll = terminate;
    });
    if (terminated && !signal.aborted) {
      state.getUpdatesConflicts++;
      return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    }
    if (state.webhook) return fail(409, 'Conflict: terminated by setWebhook request');
  }
  return ok(state.pending.slice(0, limit));
};

const setMyCommands: MethodHandler = (state, p) => {
  const commands = objectParam(p.commands);
  if (!Array.isArray(commands) || commands.length > 100) return badRequest('commands must be an array of at most 100 BotCommand');
  for (const c of commands as Partial<BotCommand>[]) {
    if (typeof c.command !== 'string' || !COMMAND_NAME.test(c.command)) return badRequest('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  const scope = objectParam(p.scope);
  const key = `${scope ? JSON.stringify(scope) : 'default'}:${typeof p.language_code === 'string' ? p.language_code : ''}`;
  state.commands.set(key, commands as BotCommand[]);
  state.changed();
  return ok(true);
};

const setWebhook: MethodHandler = (state, p) => {
  const url = typeof p.url === 'string' ? p.url : '';
  if (url === '') {
    state.webhook = undefined;
    state.changed();
    return ok(true);
  }
  if (!/^https?:\/\//.test(url)) return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const secret = p.secret_token;
  if (secret !== undefined && (typeof secret !== 'string' || !SECRET_TOKEN.test(secret))) return badRequest('secret token contains unallowed characters');
  if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') state.pending = [];
  state.webhook = { url, ...(typeof secret === 'string' ? { secret } : {}) };
  state.emit('webhook');
  state.changed();
  return ok(true);
};

const deleteWebhook: MethodHandler = (state, p) => {
  state.webhook = undefined;
  if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') state.pending = [];
  state.changed();
  return ok(true);
};

const getWebhookInfo: MethodHandler = (state) =>
  ok({ url: state.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: state.pending.length });

const leaveChat: MethodHandler = (state, p) => {
  const chat = chatOf(state, p.chat_id);
  if (isOutcome(chat)) return chat;
  state.left.add(chat.id);
  state.changed();
  return ok(true);
};

/** The Bot API methods the emulator speaks, by lower-cased name (Telegram's names are case-insensitive). */
export const botMethods: Record<string, MethodHandler> = {
  getme: (state) => ok(state.bot),
  getupdates: getUpdates,
  sendmessage: sendMessage,
  editmessagereplymarkup: editMessageReplyMarkup,
  answercallbackquery: answerCallbackQuery,
  setmycommands: setMyCommands,
  getmycommands: (state) => ok(state.commands.get('default:') ?? []),
  setwebhook: setWebhook,
  deletewebhook: deleteWebhook,
  getwebhookinfo: getWebhookInfo,
  leavechat: leaveChat,
};
