/**
 * A mutual-exclusion lock on a KeyValueStore, e.g. one turn at a time per conversation across
 * processes. Acquire = setIfAbsent of a random token with a TTL (so a crashed holder cannot block
 * forever); release = deleteIfEquals with that token (never frees a lock someone else now holds).
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './keyValue.ts';

export interface LockOptions {
  /** Give up waiting after this long; default max(ttlMs, 5 s). */
  timeoutMs?: number;
  /** First retry delay; doubles (with jitter) up to maxRetryMs. Defaults 10 and 200 ms. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(readonly key: string, readonly waitedMs: number) {
    super(`could not acquire lock "${key}" within ${waitedMs} ms`);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the lock `lock:<key>`; throws LockTimeoutError when it cannot be acquired in time. */
export async function withLock<T>(kv: KeyValueStore, key: string, ttlMs: number, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockKey = `lock:${key}`;
  const token = randomUUID();
  const timeoutMs = options.timeoutMs ?? Math.max(ttlMs, 5000);
  const maxRetry = options.maxRetryMs ?? 200;
  let delay = options.minRetryMs ?? 10;
  const started = Date.now();
  while (!(await kv.setIfAbsent(lockKey, token, ttlMs))) {
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new LockTimeoutError(key, waited);
    await sleep(Math.min(delay * (0.5 + Math.random()), timeoutMs - waited));
    delay = Math.min(delay * 2, maxRetry);
  }
  try {
    return await fn();
  } finally {
    await kv.deleteIfEquals(lockKey, token).catch(() => undefined);
  }
}
