/**
 * KeyValueStore in this process's memory: for tests and single-process runs that need no state
 * after exit. The clock is injectable so TTLs can be tested without waiting.
 */
import type { KeyValueStore } from './keyValue.ts';
import { checkTtl, counterValue, decodeValue, encodeValue } from './kvValues.ts';

interface Entry {
  text: string;
  expiresAt?: number;
}

/** Each write looks at this many other entries and drops the expired ones (a slow, steady sweep). */
const SWEEP_PER_WRITE = 2;

export function createMemoryKeyValue(clock: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  let sweep = entries.keys();
  let closed = false;

  const live = (key: string): Entry | undefined => {
    const e = entries.get(key);
    if (e && e.expiresAt !== undefined && e.expiresAt <= clock()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const write = (key: string, text: string, ttlMs?: number) => {
    if (closed) throw new Error('memory key-value store is closed');
    entries.set(key, ttlMs === undefined ? { text } : { text, expiresAt: clock() + checkTtl(ttlMs) });
    for (let n = 0; n < SWEEP_PER_WRITE; n++) {
      const next = sweep.next();
      if (next.done) {
        sweep = entries.keys();
        break;
      }
      live(next.value);
    }
  };

  return {
    kind: 'memory',
    async get<T>(key: string) {
      return decodeValue<T>(live(key)?.text);
    },
    async set(key, value, ttlMs) {
      write(key, encodeValue(value), ttlMs);
    },
    async setMany(list) {
      const texts = list.map((e) => encodeValue(e.value));
      list.forEach((e, i) => write(e.key, texts[i]!, e.ttlMs));
    },
    async delete(key) {
      entries.delete(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      const text = encodeValue(value);
      checkTtl(ttlMs);
      if (live(key)) return false;
      write(key, text, ttlMs);
      return true;
    },
    async deleteIfEquals(key, value) {
      const e = live(key);
      if (!e || e.text !== encodeValue(value)) return false;
      entries.delete(key);
      return true;
    },
    async increment(key, ttlMs) {
      if (ttlMs !== undefined) checkTtl(ttlMs);
      const e = live(key);
      const next = counterValue(key, e?.text) + 1;
      if (e) e.text = String(next);
      else write(key, String(next), ttlMs);
      return next;
    },
    async close() {
      closed = true;
      entries.clear();
    },
  };
}
