import { HttpError, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { TurnHandler } from '../../queue/turnPipeline.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { describeApiError, isUnreachableChat } from './apiErrors.ts';
import { forgetKeyboard, rememberKeyboard, shownKeyboard } from './keyboards.ts';
import { renderReplies, type OutgoingMessage } from './renderReplies.ts';

/**
 * Sends messages in order through the bot's client (shared send budgets, 429/5xx/network retries).
 * 'unreachable' = the bot was blocked or the chat is gone: nothing more is sent. A message the Bot
 * API refused for another reason is logged and skipped. A network failure that outlasted the
 * client's retries is thrown with `throwOnNetwork` (the durable pipeline sends it again later),
 * else logged and skipped.
 */
export async function sendMessages(
  api: Api,
  chatId: number | string,
  messages: readonly OutgoingMessage[],
  logger: Logger,
  token: string,
  options: { throwOnNetwork?: boolean } = {},
): Promise<'sent' | 'unreachable'> {
  for (const m of messages) {
    try {
      await api.sendMessage(chatId, m.text, { ...(m.entities ? { entities: m.entities } : {}), ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) });
    } catch (err) {
      const error = describeApiError(err, token);
      if (isUnreachableChat(err)) {
        logger.info({ chatId, error }, 'telegram chat unreachable (blocked or gone); message dropped');
        return 'unreachable';
      }
      if (options.throwOnNetwork && err instanceof HttpError) {
        logger.warn({ chatId, error }, 'telegram sendMessage failed on the network; the reply is retried later');
        // A fresh error: the HttpError's cause carries the request URL, which holds the token.
        throw new Error(`telegram sendMessage: ${error}`);
      }
      logger.error({ chatId, error }, 'telegram sendMessage failed');
    }
  }
  return 'sent';
}

export interface ReplyHandlerDeps {
  api: Api;
  kv: KeyValueStore;
  /** Title of the "share my number" button (from the catalogue). */
  shareContactTitle: string;
  token: string;
  /**
   * True with the durable (Redis) pipeline: a reply that failed on the network is thrown and the
   * pipeline sends it again later. The in-process pipeline cannot retry: the failure is logged.
   */
  retryOnNetworkError: boolean;
  now?: () => number;
}

/** An armed keyboard removal older than this is forgotten (its turn sent no reply). */
const ARMED_TTL_MS = 10 * 60_000;

/**
 * The Telegram side of a queued turn: each reply is rendered (quick replies as an inline keyboard,
 * a contact request as a reply keyboard whose titles are kept in the KV) and sent on its own, so
 * the pipeline records progress between replies. After the first reply of a turn that answered a
 * button press, the pressed message's inline keyboard is removed so it cannot be pressed twice
 * (after, not before: the edit would take the chat's one-message-per-second slot first).
 *
 * Telegram offers no way to tell whether a message went out (no idempotency key, no callback data
 * on a sent message), so a reply in doubt after a crash or a Redis outage (`attempt.inDoubt`) is
 * simply sent again: delivery is at least once, and such a reply may reach the user twice.
 */
export function createReplyHandler(deps: ReplyHandlerDeps): TurnHandler {
  const { api, kv, token } = deps;
  const now = deps.now ?? Date.now;
  // Turns (message ids) whose pressed keyboard is removed after their first reply; set by afterTurn.
  const armed = new Map<string, number>();

  function arm(messageId: string): void {
    const at = now();
    if (armed.size > 100) for (const [id, since] of armed) if (at - since > ARMED_TTL_MS) armed.delete(id);
    armed.set(messageId, at);
  }

  return {
    async send(msg, reply, log, attempt) {
      if (attempt?.inDoubt) log.info({ ref: attempt.ref }, 'telegram: an earlier attempt may have sent this reply; Telegram cannot tell, so it is sent again (at least once)');
      const firstOfTurn = armed.delete(msg.messageId) || (attempt?.ref.endsWith('#0') ?? false);
      const shown = await shownKeyboard(kv, msg.chatId);
      const rendered = await renderReplies([reply], { kv, shareContactTitle: deps.shareContactTitle, keyboardShown: shown !== undefined });
      if (rendered.keyboard === 'removed') await forgetKeyboard(kv, msg.chatId);
      else if (rendered.keyboard !== 'unchanged') await rememberKeyboard(kv, msg.chatId, rendered.keyboard.shown);
      const outcome = await sendMessages(api, msg.chatId, rendered.messages, log, token, { throwOnNetwork: deps.retryOnNetworkError });
      if (outcome === 'unreachable') return false;
      if (firstOfTurn && msg.inReplyTo !== undefined) {
        await api
          .editMessageReplyMarkup(msg.chatId, Number(msg.inReplyTo))
          .catch((err: unknown) => log.debug({ error: describeApiError(err, token) }, 'telegram: keyboard of the pressed message not removed'));
      }
      return true;
    },
    afterTurn(msg, duplicate) {
      if (!duplicate && msg.inReplyTo !== undefined) arm(msg.messageId);
    },
  };
}
