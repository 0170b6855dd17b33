import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterQueue, RateLimiterRedis } from 'rate-limiter-flexible';

/** Outbound throughput per phone number (Cloud API default: 80 messages per second). */
export interface SendLimiter {
  readonly kind: 'redis' | 'memory';
  /** Resolves when one more message may be sent for `key` (waits in FIFO order otherwise). */
  take(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface SendLimiterOptions {
  perSecond: number;
  /** Shared by every instance on the same Redis; memory (this process only) without it. */
  redisUrl?: string;
  keyPrefix?: string;
}

export function createSendLimiter(options: SendLimiterOptions): SendLimiter {
  const points = options.perSecond;
  const keyPrefix = options.keyPrefix ?? 'isp:wa-send';
  const memory = new RateLimiterMemory({ points, duration: 1, keyPrefix });
  let redis: Redis | undefined;
  let limiter: RateLimiterMemory | RateLimiterRedis = memory;
  if (options.redisUrl) {
    redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
    redis.on('error', () => undefined);
    // If Redis stops answering, each instance falls back to its own in-memory budget.
    limiter = new RateLimiterRedis({ storeClient: redis, points, duration: 1, keyPrefix, insuranceLimiter: memory });
  }
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: 100_000 });
  return {
    kind: redis ? 'redis' : 'memory',
    async take(key) {
      await queue.removeTokens(1, key);
    },
    async close() {
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
