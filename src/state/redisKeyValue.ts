/**
 * KeyValueStore on Redis (ioredis), for running several gateway processes. Every key gets
 * `keyPrefix` (default `isp:`) so one Redis can serve several deployments and tests can clean up.
 * Atomicity: setIfAbsent is SET NX PX; deleteIfEquals and increment are Lua scripts (one round
 * trip, nothing interleaves), so locks and rate counters are safe across processes.
 */
import { Redis } from 'ioredis';
import type { KeyValueStore } from './keyValue.ts';
import { checkTtl, decodeValue, encodeValue } from './kvValues.ts';

export interface RedisKeyValueOptions {
  /** Prepended to every key; default `isp:`. */
  keyPrefix?: string;
}

const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

// INCR, and PEXPIRE only when this call created the key (the TTL is not extended by later calls).
const INCREMENT = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCR', KEYS[1])
if existed == 0 and tonumber(ARGV[1]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return value`;

/** How long a prefetched value stays usable: the moment between a turn's start and its first reads. */
const PREFETCH_MS = 1_000;
/** Above this many unread prefetched values, the stale ones are dropped. */
const PREFETCH_LIMIT = 10_000;

export function createRedisKeyValue(url: string, options: RedisKeyValueOptions = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? 'isp:';
  // No automatic resend after a reconnect: a SET NX that ran but whose answer was lost would be
  // resent and answer "already set" (a message taken for a duplicate); the caller sees the error.
  const redis = new Redis(url, { lazyConnect: false, autoResendUnfulfilledCommands: false });
  // Without a listener ioredis prints every reconnect error; commands still reject with the error.
  redis.on('error', () => undefined);
  const k = (key: string) => `${prefix}${key}`;
  const scripts = redis as Redis & {
    ispDeleteIfEquals(key: string, value: string): Promise<number>;
    ispIncrement(key: string, ttl: string): Promise<number>;
  };
  redis.defineCommand('ispDeleteIfEquals', { numberOfKeys: 1, lua: DELETE_IF_EQUALS });
  redis.defineCommand('ispIncrement', { numberOfKeys: 1, lua: INCREMENT });
  // Prefetched values (one MGET for a turn's first reads), each handed out once within PREFETCH_MS.
  const ahead = new Map<string, { at: number; value: Promise<string | null> }>();
  const forget = (key: string): void => void ahead.delete(key);

  return {
    kind: 'redis',
    redisKey: k,
    prefetch(keys) {
      const now = performance.now();
      if (ahead.size > PREFETCH_LIMIT) for (const [key, e] of ahead) if (now - e.at > PREFETCH_MS) ahead.delete(key);
      const values = redis.mget(keys.map(k));
      values.catch(() => undefined);
      keys.forEach((key, i) => ahead.set(key, { at: now, value: values.then((v) => v[i] ?? null) }));
    },
    async get<T>(key: string) {
      const fetched = ahead.get(key);
      if (fetched) {
        ahead.delete(key);
        if (performance.now() - fetched.at <= PREFETCH_MS) return decodeValue<T>(await fetched.value);
      }
      return decodeValue<T>(await redis.get(k(key)));
    },
    async set(key, value, ttlMs) {
      forget(key);
      const text = encodeValue(value);
      if (ttlMs === undefined) await redis.set(k(key), text);
      else await redis.set(k(key), text, 'PX', checkTtl(ttlMs));
    },
    async setMany(list) {
      list.forEach((e) => forget(e.key));
      const texts = list.map((e) => encodeValue(e.value));
      const tx = redis.multi();
      list.forEach((e, i) => (e.ttlMs === undefined ? tx.set(k(e.key), texts[i]!) : tx.set(k(e.key), texts[i]!, 'PX', checkTtl(e.ttlMs))));
      const replies = await tx.exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) throw failed?.[0] ?? new Error('Redis MULTI was discarded');
    },
    async delete(key) {
      forget(key);
      await redis.del(k(key));
    },
    async setIfAbsent(key, value, ttlMs) {
      forget(key);
      const reply = await redis.set(k(key), encodeValue(value), 'PX', checkTtl(ttlMs), 'NX');
      return reply === 'OK';
    },
    async deleteIfEquals(key, value) {
      forget(key);
      const deleted = await scripts.ispDeleteIfEquals(k(key), encodeValue(value));
      return Number(deleted) === 1;
    },
    async increment(key, ttlMs) {
      const ttl = ttlMs === undefined ? 0 : checkTtl(ttlMs);
      try {
        forget(key);
        return Number(await scripts.ispIncrement(k(key), String(ttl)));
      } catch (err) {
        if (/not an integer/i.test(String(err))) throw new TypeError(`key "${key}" does not hold an integer counter`);
        throw err;
      }
    },
    async close() {
      if (redis.status === 'end') return;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
