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

export function createRedisKeyValue(url: string, options: RedisKeyValueOptions = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? 'isp:';
  // No automatic resend after a reconnect: a SET NX that ran but whose answer was lost would be
  // resent and answer "already set" (a message taken for a duplicate); the caller sees the error.
  const redis = new Redis(url, { lazyConnect: false, autoResendUnfulfilledCommands: false });
  // Without a listener ioredis prints every reconnect error; commands still reject with the error.
  redis.on('error', () => undefined);
  const k = (key: string) => `${prefix}${key}`;

  return {
    kind: 'redis',
    redisKey: k,
    async get<T>(key: string) {
      return decodeValue<T>(await redis.get(k(key)));
    },
    async set(key, value, ttlMs) {
      const text = encodeValue(value);
      if (ttlMs === undefined) await redis.set(k(key), text);
      else await redis.set(k(key), text, 'PX', checkTtl(ttlMs));
    },
    async setMany(list) {
      const texts = list.map((e) => encodeValue(e.value));
      const tx = redis.multi();
      list.forEach((e, i) => (e.ttlMs === undefined ? tx.set(k(e.key), texts[i]!) : tx.set(k(e.key), texts[i]!, 'PX', checkTtl(e.ttlMs))));
      const replies = await tx.exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) throw failed?.[0] ?? new Error('Redis MULTI was discarded');
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await redis.set(k(key), encodeValue(value), 'PX', checkTtl(ttlMs), 'NX');
      return reply === 'OK';
    },
    async deleteIfEquals(key, value) {
      const deleted = await redis.eval(DELETE_IF_EQUALS, 1, k(key), encodeValue(value));
      return Number(deleted) === 1;
    },
    async increment(key, ttlMs) {
      const ttl = ttlMs === undefined ? 0 : checkTtl(ttlMs);
      try {
        return Number(await redis.eval(INCREMENT, 1, k(key), String(ttl)));
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
