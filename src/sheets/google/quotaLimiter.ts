/**
 * Keeps our Sheets requests under Google's quota: 60 read and 60 write requests per minute per
 * user (the service account), 300 per project. One limiter per kind, shared by every instance
 * through Redis when there is one (RateLimiterRedis, with an in-memory insurance limiter if Redis
 * fails), in memory otherwise.
 *
 * Google counts per minute but does not promise where its minute starts, so the minute is cut
 * into 6 slices of `perMinute / 6` requests each: any 60-second span then holds at most 7 slices,
 * i.e. 7/6 of `perMinute` — 56 for the default 48, still below 60.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { sleep } from './retry.ts';

export type RequestKind = 'read' | 'write';

export interface QuotaLimiter {
  /** Waits until a request of this kind may be sent; rejects with ClosedError when `signal` aborts. */
  acquire(kind: RequestKind, signal?: AbortSignal): Promise<void>;
  /** Requests that had to wait for the quota, since start. */
  readonly waits: number;
}

export interface QuotaLimiterOptions {
  readsPerMinute: number;
  writesPerMinute: number;
  /** Whose quota (the service-account e-mail): part of the shared key. */
  user: string;
  /** Shared limiter when given. */
  redis?: Redis;
  keyPrefix?: string;
  /** Length of Google's "minute"; tests and the bench compress time. Default 60 000. */
  windowMs?: number;
}

const SLICES = 6;

export function createQuotaLimiter(options: QuotaLimiterOptions): QuotaLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const sliceSeconds = windowMs / SLICES / 1000;
  const make = (kind: RequestKind, perMinute: number): RateLimiterAbstract => {
    const base = { points: Math.max(1, Math.floor(perMinute / SLICES)), duration: sliceSeconds, keyPrefix: `${options.keyPrefix ?? 'isp:'}sheets-quota:${kind}` };
    const memory = new RateLimiterMemory(base);
    // Redis needs whole seconds; a compressed window (tests) stays in memory.
    if (!options.redis || !Number.isInteger(sliceSeconds)) return memory;
    return new RateLimiterRedis({ ...base, storeClient: options.redis, insuranceLimiter: memory, rejectIfRedisNotReady: true });
  };
  const limiters: Record<RequestKind, RateLimiterAbstract> = { read: make('read', options.readsPerMinute), write: make('write', options.writesPerMinute) };
  let waits = 0;

  return {
    get waits() {
      return waits;
    },
    async acquire(kind, signal) {
      for (let waited = false; ; waited = true) {
        try {
          await limiters[kind].consume(options.user, 1);
          if (waited) waits++;
          return;
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          // Everyone waiting wakes at the slice boundary; a little jitter spreads them.
          await sleep(res.msBeforeNext + Math.random() * 50, signal);
        }
      }
    },
  };
}
