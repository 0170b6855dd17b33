import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createKeyedQueue } from '../../core/keyedQueue.ts';

/**
 * Telegram's outbound limits per bot: about 30 messages per second overall, about 1 per second to
 * one chat, 20 per minute to one group. A budget of 0 is switched off (tests).
 */
export interface OutboundBudgets {
  globalPerSecond: number;
  perChatPerSecond: number;
  perGroupPerMinute: number;
}

/** The shared waiting room in front of every sending Bot API call. */
export interface OutboundLimiter {
  readonly kind: 'redis' | 'memory';
  /**
   * Resolves when one more message may go to `chatId` (undefined: a message with no chat, e.g. an
   * inline message edit, counts against the global budget only). Never rejects for lack of budget:
   * it waits, in submission order per chat within this process. Rejects only when `signal` aborts.
   */
  take(chatId: string | undefined, signal?: AbortSignal): Promise<void>;
  /** Telegram answered 429 for this chat: every instance holds that chat for `seconds`. */
  penalize(chatId: string, seconds: number): Promise<void>;
  close(): Promise<void>;
}

export interface OutboundLimiterOptions extends OutboundBudgets {
  /** Whose budgets (the bot id, the token's numeric part): part of the shared keys. */
  botId: string;
  /** Shared by every instance on the same Redis; this process only without it. */
  redisUrl?: string;
  /** Prefix of the Redis keys (default `isp:tg-send`). */
  keyPrefix?: string;
}

/** Group, supergroup and channel ids are negative; `@username` names a public channel or supergroup. */
export const isGroupChat = (chatId: string): boolean => chatId.startsWith('-') || chatId.startsWith('@');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted while waiting for the Telegram send budget'));
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted while waiting for the Telegram send budget'));
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Consumes one point of `key`, sleeping until the window that holds it ends as often as needed. */
async function waitFor(limiter: RateLimiterAbstract, key: string, signal?: AbortSignal): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key, 1);
      return;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      // Waiters of several instances wake at the same window boundary; a little jitter spreads them.
      await sleep(Math.max(res.msBeforeNext, 5) + Math.random() * 25, signal);
    }
  }
}

/**
 * Outbound budgets on rate-limiter-flexible: RateLimiterRedis (fixed windows shared by every
 * instance, with an in-memory insurance limiter when Redis fails) with `redisUrl`, RateLimiterMemory
 * otherwise. One call waits for its group budget, then its chat budget, then the global budget.
 * Within this process, calls to one chat wait in order, and calls wait for the global budget one at
 * a time (FIFO, and a single poller of Redis per instance however many chats are waiting).
 */
export function createOutboundLimiter(options: OutboundLimiterOptions): OutboundLimiter {
  const prefix = `${options.keyPrefix ?? 'isp:tg-send'}:${options.botId}`;
  let redis: Redis | undefined;
  if (options.redisUrl) {
    // Connects at the first send; a Redis that stops answering falls back to the insurance limiter.
    redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    redis.on('error', () => undefined);
  }
  const make = (name: string, points: number, duration: number): RateLimiterAbstract | undefined => {
    if (points <= 0) return undefined;
    const base = { points, duration, keyPrefix: `${prefix}:${name}` };
    const memory = new RateLimiterMemory(base);
    return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  const global = make('global', options.globalPerSecond, 1);
  const perChat = make('chat', options.perChatPerSecond, 1);
  const perGroup = make('group', options.perGroupPerMinute, 60);
  const chats = createKeyedQueue();
  const globalTurn = createKeyedQueue();

  async function takeChat(chatId: string, signal?: AbortSignal): Promise<void> {
    if (perGroup && isGroupChat(chatId)) await waitFor(perGroup, chatId, signal);
    if (!perChat) return waitForGlobal(signal);
    await waitFor(perChat, chatId, signal);
    const heldAt = Date.now();
    await waitForGlobal(signal);
    // The chat's window ended while this call queued for the global budget: the message would go
    // out right next to the chat's next one. It takes a fresh window (rarely a wait: only when
    // another instance wrote to this chat meanwhile).
    if (Date.now() - heldAt >= 1000) await waitFor(perChat, chatId, signal);
  }

  function waitForGlobal(signal?: AbortSignal): Promise<void> {
    return global ? globalTurn.run('global', () => waitFor(global, 'all', signal)) : Promise.resolve();
  }

  return {
    kind: redis ? 'redis' : 'memory',
    take(chatId, signal) {
      return chatId === undefined ? waitForGlobal(signal) : chats.run(chatId, () => takeChat(chatId, signal));
    },
    async penalize(chatId, seconds) {
      if (!perChat || !(seconds > 0)) return;
      await perChat.block(chatId, Math.ceil(seconds)).catch(() => undefined);
    },
    async close() {
      if (!redis) return;
      if (redis.status === 'wait') redis.disconnect();
      else await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
