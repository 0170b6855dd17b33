/**
 * grammY API transformers around every sending Bot API call: the shared send budgets before it,
 * and its final outcome (after retries) for /metrics.
 */
import { HttpError, type Transformer } from 'grammy';
import type { OutboundLimiter } from './outboundLimiter.ts';

/** Bot API methods that put a message in a chat (or change one): they wait for the send budgets. */
export const THROTTLED_METHODS: ReadonlySet<string> = new Set([
  'sendMessage', 'forwardMessage', 'forwardMessages', 'copyMessage', 'copyMessages',
  'sendPhoto', 'sendAudio', 'sendDocument', 'sendVideo', 'sendAnimation', 'sendVoice', 'sendVideoNote',
  'sendPaidMedia', 'sendMediaGroup', 'sendLocation', 'sendVenue', 'sendContact', 'sendPoll', 'sendDice',
  'sendSticker', 'sendInvoice', 'sendGame', 'sendChatAction',
  'editMessageText', 'editMessageCaption', 'editMessageMedia', 'editMessageReplyMarkup', 'editMessageLiveLocation',
  'stopMessageLiveLocation', 'stopPoll',
]);

/** The chat a Bot API call writes to, as the limiter keys it; undefined when it names none (inline messages). */
function chatOf(payload: unknown): string | undefined {
  const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
  return typeof chatId === 'number' || (typeof chatId === 'string' && chatId !== '') ? String(chatId) : undefined;
}

/**
 * Waits for the shared send budgets before every sending call (other calls — getUpdates, getMe,
 * answerCallbackQuery, setWebhook… — pass straight through). A 429 for a chat holds that chat on
 * every instance for `retry_after`; the retry itself is auto-retry's.
 */
export function limitSends(limiter: OutboundLimiter): Transformer {
  return async (prev, method, payload, signal) => {
    if (!THROTTLED_METHODS.has(method)) return prev(method, payload, signal);
    const chat = chatOf(payload);
    await limiter.take(chat, signal as AbortSignal | undefined);
    const res = await prev(method, payload, signal);
    const retryAfter = res.ok ? undefined : res.parameters?.retry_after;
    if (chat !== undefined && res.ok === false && res.error_code === 429 && retryAfter) await limiter.penalize(chat, retryAfter);
    return res;
  };
}

/** A sending call's final outcome (after retries): undefined = sent, else the Bot API error code or `network`. */
export type SendOutcome = (errorCode: string | undefined) => void;

/** Messages sent, and refused after retries by error code (sendChatAction and edits are not messages). */
export function countSends(onSend: SendOutcome): Transformer {
  const counted = (method: string): boolean => THROTTLED_METHODS.has(method) && /^(send|copy|forward)/.test(method) && method !== 'sendChatAction';
  return async (prev, method, payload, signal) => {
    if (!counted(method)) return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      onSend(res.ok ? undefined : String(res.error_code));
      return res;
    } catch (err) {
      onSend(err instanceof HttpError ? 'network' : 'error');
      throw err;
    }
  };
}
