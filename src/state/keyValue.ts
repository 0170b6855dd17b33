/**
 * The state port: sessions, dedupe keys, locks and counters. Implemented over Redis (ioredis),
 * over the local SQLite file (so `launcher chat` keeps state between invocations), and in memory.
 * Values are JSON-serialisable. TTLs are milliseconds; no TTL = keep until deleted.
 */
export interface KeyValueStore {
  readonly kind: 'memory' | 'sqlite' | 'redis' | string;
  /** Redis only: the name a key has in Redis (prefix included), for a script that reads it in the same step. */
  redisKey?(key: string): string;
  /**
   * A hint that these keys are about to be read (a turn's session, link and quiet flag): a store
   * over the network fetches them in one request, and each `get` of one of them in the next moment
   * answers from it once. A write to a key drops its fetched value. Stores in this process ignore it.
   */
  prefetch?(keys: readonly string[]): void;
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Sets several keys at once: all or none (a session saved together with a turn's result). */
  setMany(entries: readonly KeyValueEntry[]): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets only when the key is absent; true when this call set it (dedupe, lock acquire). */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Deletes only when the stored value equals `value` (lock release by its owner); true when deleted. */
  deleteIfEquals(key: string, value: unknown): Promise<boolean>;
  /** Atomically adds 1 and returns the new value; the TTL is set when the key is created. */
  increment(key: string, ttlMs?: number): Promise<number>;
  close(): Promise<void>;
}

export interface KeyValueEntry {
  key: string;
  value: unknown;
  ttlMs?: number;
}
