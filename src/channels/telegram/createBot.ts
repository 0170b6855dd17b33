import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, HttpError, type Transformer } from 'grammy';
import type { Logger } from 'pino';
import { describeApiError } from './apiErrors.ts';
import type { OutboundLimiter } from './outboundLimiter.ts';
import { countSends, limitSends, type SendOutcome } from './sendTransformers.ts';

/** Limits and timeouts of the Telegram client. The defaults follow Telegram's published limits. */
export interface TelegramTuning {
  /** Messages per second over all chats, shared by every instance on the same Redis (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second to one chat (Telegram: about 1); 0 switches the per-chat budget off (tests). */
  perChatPerSecond: number;
  /** Messages per minute to one group (Telegram: 20), on top of the per-chat budget; 0 = off. */
  perGroupPerMinute: number;
  /** Redis key prefix of the shared send budgets (the bot id follows). */
  limiterKeyPrefix: string;
  /** Further attempts of a request answered 429 (after `retry_after`) or 5xx (after a doubling wait from 3 s). */
  maxRetryAttempts: number;
  /** Long-polling wait of getUpdates. */
  pollTimeoutSeconds: number;
  /** Any single HTTP request to the Bot API (above the long-polling wait). */
  requestTimeoutSeconds: number;
  /** A 429 asking to wait longer than this is not retried (the error is logged). */
  maxRetryAfterSeconds: number;
  /** Attempts for a request that failed on the network (connection reset, timeout). */
  networkAttempts: number;
  /** First wait before a network retry; doubles each time. */
  networkRetryDelayMs: number;
  /** Polling lease (one poller per bot across instances): lifetime without renewal = takeover delay after a crash. */
  pollerLeaseTtlMs: number;
  /** The poller renews its lease this often (keep well under the TTL). */
  pollerLeaseRenewMs: number;
  /** A standby instance tries to take the lease this often. */
  pollerLeaseRetryMs: number;
  /** Polling: first wait before an update that could not be queued (Redis down) is tried again; doubles up to the max. */
  intakeRetryFirstMs: number;
  intakeRetryMaxMs: number;
}

export const DEFAULT_TUNING: TelegramTuning = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perGroupPerMinute: 20,
  limiterKeyPrefix: 'isp:tg-send',
  maxRetryAttempts: 5,
  pollTimeoutSeconds: 30,
  requestTimeoutSeconds: 60,
  maxRetryAfterSeconds: 120,
  networkAttempts: 3,
  networkRetryDelayMs: 1000,
  pollerLeaseTtlMs: 30_000,
  pollerLeaseRenewMs: 10_000,
  pollerLeaseRetryMs: 5_000,
  intakeRetryFirstMs: 500,
  intakeRetryMaxMs: 30_000,
};

/** `TELEGRAM_API_ROOT` without trailing slashes (grammY refuses them). */
export const apiRootOf = (root: string | undefined): string => (root ?? 'https://api.telegram.org').replace(/\/+$/, '');

/** grammY passes its own AbortSignal type (from abort-controller); only `abort` matters here. */
interface AbortLike {
  addEventListener(type: 'abort', listener: () => void): void;
}

function sleep(ms: number, signal?: AbortLike): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

/**
 * Retries a request that failed on the network a few times with a doubling wait. getUpdates is
 * only logged: the runner has its own retry loop. (auto-retry's own network retry is unbounded.)
 */
function retryNetworkErrors(tuning: TelegramTuning, logger: Logger, token: string): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || signal?.aborted) throw err;
        const error = describeApiError(err, token);
        if (method === 'getUpdates' || attempt >= tuning.networkAttempts) {
          logger.warn({ method, error, attempt }, 'telegram request failed');
          throw err;
        }
        const waitMs = tuning.networkRetryDelayMs * 2 ** (attempt - 1);
        logger.info({ method, error, attempt, waitMs }, 'telegram request failed; retrying');
        await sleep(waitMs, signal);
      }
    }
  };
}

/**
 * The grammY bot with the API client pointed at `apiRoot` and three transformers, innermost
 * first: the send budgets (`limiter`: ~30 msg/s overall, ~1 msg/s per chat, 20/min per group,
 * shared by every instance on the same Redis), the bounded network retry, and auto-retry (waits
 * `retry_after` on 429, backs off on 5xx) — so a retried request waits for the budgets again.
 * Outermost, `onSend` learns each message's final outcome (for /metrics).
 */
export function createBot(token: string, apiRoot: string | undefined, tuning: TelegramTuning, logger: Logger, limiter: OutboundLimiter, onSend?: SendOutcome): Bot {
  const bot = new Bot(token, { client: { apiRoot: apiRootOf(apiRoot), timeoutSeconds: tuning.requestTimeoutSeconds } });
  bot.api.config.use(
    limitSends(limiter),
    retryNetworkErrors(tuning, logger, token),
    autoRetry({ maxRetryAttempts: tuning.maxRetryAttempts, maxDelaySeconds: tuning.maxRetryAfterSeconds, rethrowHttpErrors: true }),
  );
  if (onSend) bot.api.config.use(countSends(onSend));
  return bot;
}
