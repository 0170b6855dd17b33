import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Per-user flood control in front of the turns: `points` messages per `durationSec`; past that,
 * the user is blocked for `blockSec`. The first refused message of a block gets the friendly
 * notice, the rest are silently dropped. Shared by every instance on Redis, in memory otherwise.
 */
export interface UserRateLimitOptions {
  points: number;
  durationSec: number;
  blockSec: number;
  /** Redis for several instances; memory when absent. */
  redisUrl?: string;
  keyPrefix?: string;
}

/** `ok`: run the turn; `notify`: refused, tell the user once; `drop`: refused, already told. */
export type RateDecision = 'ok' | 'notify' | 'drop';

export interface UserRateLimit {
  readonly kind: 'memory' | 'redis';
  check(userKey: string): Promise<RateDecision>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT = { points: 12, durationSec: 10, blockSec: 30 } as const;

export function createUserRateLimit(options: UserRateLimitOptions): UserRateLimit {
  const base = { points: options.points, duration: options.durationSec, blockDuration: options.blockSec, keyPrefix: options.keyPrefix ?? 'isp:rl' };
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  redis?.on('error', () => undefined); // reported by the KV and /readyz; the limiter fails open
  const make = (o: typeof base): RateLimiterAbstract => (redis ? new RateLimiterRedis({ ...o, storeClient: redis }) : new RateLimiterMemory(o));
  const limiter = make(base);
  // One notice per block: a second limiter that lets one message through per block period.
  const notices = make({ points: 1, duration: options.blockSec, blockDuration: 0, keyPrefix: `${base.keyPrefix}:notice` });
  return {
    kind: redis ? 'redis' : 'memory',
    async check(userKey) {
      try {
        await limiter.consume(userKey);
        return 'ok';
      } catch (res) {
        // A store failure (Redis down) fails open: the turn itself will meet the KV's own error.
        if (!(res instanceof RateLimiterRes)) return 'ok';
        return (await notices.consume(userKey).then(() => true, () => false)) ? 'notify' : 'drop';
      }
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
