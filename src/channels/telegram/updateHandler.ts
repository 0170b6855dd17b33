import type { Api, Context } from 'grammy';
import type { Chat, Message } from 'grammy/types';
import type { Logger } from 'pino';
import type { InboundMessage, Reply } from '../../core/types.ts';
import type { Gateway } from '../../gateway.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { describeApiError, isUnreachableChat } from './apiErrors.ts';
import { forgetKeyboard, fromCallbackData, rememberKeyboard, shownKeyboard } from './keyboards.ts';
import { renderReplies, textMessages, type OutgoingMessage } from './renderReplies.ts';
import { callbackToInbound, messageToInbound } from './toInbound.ts';

/** Bot texts the adapter itself shows (from the catalogue). */
export interface ChannelTexts {
  shareContact: string;
  editedMessage: string;
  error: string;
}

export interface UpdateHandlerDeps {
  gateway: Gateway;
  kv: KeyValueStore;
  logger: Logger;
  texts: ChannelTexts;
  /** The configured staff group (alerts only); every other group is left. */
  staffGroupId: string | undefined;
  token: string;
  clock: () => number;
}

/** Sends messages in order; stops when the chat cannot be reached. Errors are logged, never thrown. */
export async function sendAll(api: Api, chatId: number | string, messages: readonly OutgoingMessage[], logger: Logger, token: string): Promise<void> {
  for (const m of messages) {
    try {
      await api.sendMessage(chatId, m.text, { ...(m.entities ? { entities: m.entities } : {}), ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) });
    } catch (err) {
      const error = describeApiError(err, token);
      if (isUnreachableChat(err)) {
        logger.info({ chatId, error }, 'telegram chat unreachable (blocked or gone); message dropped');
        return;
      }
      logger.error({ chatId, error }, 'telegram sendMessage failed');
    }
  }
}

/**
 * The one middleware of the bot: a private-chat update → InboundMessage → gateway → replies as
 * Telegram messages. Button presses are answered at once and their keyboard removed after the
 * replies. Groups other than the staff group are left; the staff group only receives alerts.
 * An edited message gets a short note (the bot already answered the original).
 */
export function createUpdateHandler(deps: UpdateHandlerDeps): (ctx: Context) => Promise<void> {
  const { gateway, kv, texts, token } = deps;

  async function onGroup(ctx: Context, chat: Chat, log: Logger): Promise<void> {
    if (String(chat.id) === deps.staffGroupId) {
      log.debug('telegram: update in the staff group ignored (alerts only)');
      return;
    }
    const status = ctx.myChatMember?.new_chat_member.status;
    if (chat.type === 'channel' || status === 'left' || status === 'kicked') return;
    log.info({ chatType: chat.type }, 'telegram: leaving a group that is not the configured staff group');
    await ctx.api.leaveChat(chat.id).catch((err: unknown) => log.warn({ error: describeApiError(err, token) }, 'telegram leaveChat failed'));
  }

  async function toInbound(ctx: Context, chatId: string, log: Logger): Promise<{ inbound?: InboundMessage; pressed?: Message; keyboard?: Record<string, string> }> {
    const now = deps.clock();
    const query = ctx.callbackQuery;
    // Answered first and at once (the client shows a spinner until then); not throttled.
    if (query) await ctx.answerCallbackQuery().catch((err: unknown) => log.debug({ error: describeApiError(err, token) }, 'telegram answerCallbackQuery failed'));
    const keyboard = await shownKeyboard(kv, chatId);
    const shown = keyboard ? { keyboard } : {};
    if (query) {
      if (query.data === undefined) return {};
      const action = await fromCallbackData(kv, query.data);
      if (action === undefined) log.info('telegram: pressed button expired; showing the menu');
      const inbound = callbackToInbound(query, action ?? 'menu', now);
      return { ...shown, ...(inbound ? { inbound } : {}), ...(query.message?.reply_markup ? { pressed: query.message } : {}) };
    }
    if (!ctx.message) return {};
    const inbound = messageToInbound(ctx.message, ctx.me.username, now);
    if (!inbound) return {};
    // A reply-keyboard button sends its title as text: map it back to the quick-reply id.
    const pressedId = inbound.text && !inbound.action ? keyboard?.[inbound.text.trim()] : undefined;
    return { ...shown, inbound: pressedId ? { ...inbound, action: pressedId } : inbound };
  }

  async function reply(api: Api, chatId: string, replies: readonly Reply[], keyboardShown: boolean, log: Logger): Promise<void> {
    const rendered = await renderReplies(replies, { kv, shareContactTitle: texts.shareContact, keyboardShown });
    if (rendered.keyboard === 'removed') await forgetKeyboard(kv, chatId);
    else if (rendered.keyboard !== 'unchanged') await rememberKeyboard(kv, chatId, rendered.keyboard.shown);
    await sendAll(api, chatId, rendered.messages, log, token);
  }

  return async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return;
    const chatId = String(chat.id);
    const log = deps.logger.child({ chatId, updateId: ctx.update.update_id });
    if (chat.type !== 'private') return onGroup(ctx, chat, log);
    if (ctx.editedMessage) {
      await sendAll(ctx.api, chatId, textMessages(texts.editedMessage), log, token);
      return;
    }
    let turn: Awaited<ReturnType<typeof toInbound>>;
    let replies: readonly Reply[];
    try {
      turn = await toInbound(ctx, chatId, log);
      if (!turn.inbound) return;
      const result = await gateway.handle(turn.inbound);
      if (result.duplicate) return;
      replies = result.replies;
    } catch (err) {
      // The state store is unreachable (the gateway itself answers any later failure): nothing
      // ran, the user is asked to try again.
      log.error({ err }, 'telegram: turn not run');
      await sendAll(ctx.api, chatId, textMessages(texts.error), log, token);
      return;
    }
    const { pressed, keyboard } = turn;
    await reply(ctx.api, chatId, replies, keyboard !== undefined, log);
    if (pressed) {
      // After the replies, so they are not delayed by the per-chat throttle.
      await ctx.api
        .editMessageReplyMarkup(pressed.chat.id, pressed.message_id)
        .catch((err: unknown) => log.debug({ error: describeApiError(err, token) }, 'telegram: keyboard of the pressed message not removed'));
    }
  };
}
