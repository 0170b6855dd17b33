/**
 * The outbox on Redis (REDIS_URL), shared by every instance: a hash id → entry JSON plus an id
 * counter, and a lease key (SET NX PX, released only by its owner). Durability is Redis's: run it
 * with appendonly yes (AOF) so entries survive a Redis restart.
 */
import type { Redis } from 'ioredis';
import { storedEntrySchema, statsOf, type Outbox, type StoredEntry } from './outbox.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// Take the lease when free, or extend it when we already hold it.
const LEASE = `local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

export function createRedisOutbox(redis: Redis, keyPrefix: string, spreadsheetId: string): Outbox {
  const base = `${keyPrefix}sheets-outbox:${spreadsheetId}`;
  const keys = { seq: `${base}:seq`, entries: `${base}:entries`, lease: `${base}:lease` };

  const parse = (text: string): StoredEntry | undefined => {
    const r = storedEntrySchema.safeParse(JSON.parse(text));
    return r.success ? (r.data as StoredEntry) : undefined;
  };

  // Read-modify-write of entries; only the lease holder changes existing entries.
  async function update(ids: number[], change: (e: StoredEntry) => StoredEntry): Promise<void> {
    if (ids.length === 0) return;
    const texts = await redis.hmget(keys.entries, ...ids.map(String));
    const updates: Record<string, string> = {};
    texts.forEach((t) => {
      const e = t ? parse(t) : undefined;
      if (e) updates[String(e.id)] = JSON.stringify(change(e));
    });
    if (Object.keys(updates).length) await redis.hset(keys.entries, updates);
  }

  return {
    kind: 'redis',
    async add(entries, now) {
      if (entries.length === 0) return [];
      const last = await redis.incrby(keys.seq, entries.length);
      const stored = entries.map((e, i): StoredEntry => ({ ...e, id: last - entries.length + 1 + i, attempts: 0, createdAt: now, nextAttemptAt: now }));
      await redis.hset(keys.entries, Object.fromEntries(stored.map((e) => [String(e.id), JSON.stringify(e)])));
      return stored;
    },
    async list() {
      const all = await redis.hgetall(keys.entries);
      return Object.values(all)
        .map(parse)
        .filter((e): e is StoredEntry => e !== undefined)
        .sort((a, b) => a.id - b.id);
    },
    async remove(ids) {
      if (ids.length) await redis.hdel(keys.entries, ...ids.map(String));
    },
    async markSent(ids, at) {
      await update(ids, (e) => ({ ...e, sentAt: e.sentAt ?? at }));
    },
    async failed(ids, error, nextAttemptAt) {
      await update(ids, (e) => ({ ...e, attempts: e.attempts + 1, lastError: error, nextAttemptAt }));
    },
    async tryLease(owner, ttlMs) {
      return Number(await redis.eval(LEASE, 1, keys.lease, owner, String(Math.ceil(ttlMs)))) === 1;
    },
    async releaseLease(owner) {
      await redis.eval(RELEASE, 1, keys.lease, owner);
    },
    async stats() {
      return statsOf(await this.list());
    },
    async close() {
      // The connection belongs to the store (shared with the quota limiter).
    },
  };
}
