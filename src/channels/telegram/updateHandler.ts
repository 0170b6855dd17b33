import type { Context } from 'grammy';
import type { Chat } from 'grammy/types';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../core/types.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { describeApiError } from './apiErrors.ts';
import { fromCallbackData, shownKeyboard } from './keyboards.ts';
import { textMessages } from './renderReplies.ts';
import { sendMessages } from './replySender.ts';
import { callbackToInbound, messageToInbound } from './toInbound.ts';

/** Bot texts the adapter itself shows (from the catalogue). */
export interface ChannelTexts {
  editedMessage: string;
}

export interface UpdateHandlerDeps {
  kv: KeyValueStore;
  logger: Logger;
  texts: ChannelTexts;
  /** The configured staff group (alerts only); every other group is left. */
  staffGroupId: string | undefined;
  token: string;
  clock: () => number;
  /** The inbound pipeline: resolves once the message is queued (durably with Redis). */
  submit: (messages: readonly InboundMessage[]) => Promise<void>;
  /** Side work that is not a turn (the edited-message note, leaving a group): runs after the update is acknowledged, tracked for stop(). */
  background: (work: Promise<unknown>) => void;
}

/**
 * The update could not be taken in because the state store or the pipeline did not answer: the
 * webhook answers 5xx (Telegram delivers it again) and the poller does not confirm it.
 */
export class IntakeUnavailableError extends Error {
  override readonly name = 'IntakeUnavailableError';
  constructor(what: string, cause: unknown) {
    super(`telegram update not taken in: ${what} unavailable (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

const unavailable = (what: string) => (err: unknown): never => {
  throw new IntakeUnavailableError(what, err);
};

/**
 * The bot's intake middleware: a private-chat update → InboundMessage → the pipeline, which runs
 * the turn and sends the replies (replySender.ts). Resolves only once the pipeline accepted the
 * message, so the webhook acknowledges and the poller confirms an update only when it is queued;
 * rejects with IntakeUnavailableError when it could not be. Button presses are answered at once.
 * Groups other than the staff group are left; the staff group only receives alerts. An edited
 * message gets a short note (the bot already answered the original), not a turn.
 */
export function createUpdateHandler(deps: UpdateHandlerDeps): (ctx: Context) => Promise<void> {
  const { kv, texts, token } = deps;

  function onGroup(ctx: Context, chat: Chat, log: Logger): void {
    if (String(chat.id) === deps.staffGroupId) {
      log.debug('telegram: update in the staff group ignored (alerts only)');
      return;
    }
    const status = ctx.myChatMember?.new_chat_member.status;
    if (chat.type === 'channel' || status === 'left' || status === 'kicked') return;
    log.info({ chatType: chat.type }, 'telegram: leaving a group that is not the configured staff group');
    deps.background(ctx.api.leaveChat(chat.id).catch((err: unknown) => log.warn({ error: describeApiError(err, token) }, 'telegram leaveChat failed')));
  }

  async function toInbound(ctx: Context, chatId: string, log: Logger): Promise<InboundMessage | undefined> {
    const now = deps.clock();
    const query = ctx.callbackQuery;
    if (query) {
      // Answered at once (the client shows a spinner until then), whatever becomes of the turn; not throttled.
      deps.background(ctx.answerCallbackQuery().catch((err: unknown) => log.debug({ error: describeApiError(err, token) }, 'telegram answerCallbackQuery failed')));
      if (query.data === undefined) return undefined;
      const action = await fromCallbackData(kv, query.data).catch(unavailable('state store'));
      if (action === undefined) log.info('telegram: pressed button expired; showing the menu');
      const inbound = callbackToInbound(query, action ?? 'menu', now);
      const pressed = query.message?.reply_markup ? query.message.message_id : undefined;
      return inbound && pressed !== undefined ? { ...inbound, inReplyTo: String(pressed) } : inbound;
    }
    if (!ctx.message) return undefined;
    const inbound = messageToInbound(ctx.message, ctx.me.username, now);
    if (!inbound) return undefined;
    // A reply-keyboard button sends its title as text: map it back to the quick-reply id.
    if (!inbound.text || inbound.action) return inbound;
    const keyboard = await shownKeyboard(kv, chatId).catch(unavailable('state store'));
    const pressedId = keyboard?.[inbound.text.trim()];
    return pressedId ? { ...inbound, action: pressedId } : inbound;
  }

  return async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return;
    const chatId = String(chat.id);
    const log = deps.logger.child({ chatId, updateId: ctx.update.update_id });
    if (chat.type !== 'private') return onGroup(ctx, chat, log);
    if (ctx.editedMessage) {
      deps.background(sendMessages(ctx.api, chatId, textMessages(texts.editedMessage), log, token));
      return;
    }
    const inbound = await toInbound(ctx, chatId, log);
    if (!inbound) return;
    await deps.submit([inbound]).catch(unavailable('inbound pipeline'));
  };
}
