/**
 * KeyValueStore in a SQLite file (table `kv`), so `launcher chat` keeps sessions, dedupe keys and
 * counters between invocations and several local processes can share them. It may be the same
 * file as the local store (its own table). Expired keys are ignored on read and purged lazily:
 * the key itself when touched, and all expired keys on open and every few hundred writes.
 */
import Database from 'better-sqlite3';
import type { KeyValueStore } from './keyValue.ts';
import { checkTtl, counterValue, decodeValue, encodeValue } from './kvValues.ts';

export interface SqliteKeyValueOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

const PURGE_EVERY_WRITES = 500;

export function openSqliteKeyValue(file: string, options: SqliteKeyValueOptions = {}): KeyValueStore {
  const clock = options.clock ?? Date.now;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Sessions, dedupe keys and locks: WAL + NORMAL survives a killed process (commits are in the
  // WAL before the call returns); only an OS crash may lose the last moments. The ISP's records
  // (the local store) keep synchronous=FULL.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER)');
  db.exec('CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL');

  const getAny = db.prepare<[string], { value: string; expires_at: number | null }>('SELECT value, expires_at FROM kv WHERE key = ?');
  const getLive = db.prepare<[string, number], { value: string }>('SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
  const put = db.prepare<[string, string, number | null]>(
    'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
  );
  const putValueOnly = db.prepare<[string, string]>('UPDATE kv SET value = ? WHERE key = ?');
  const del = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');
  const delExpiredKey = db.prepare<[string, number]>('DELETE FROM kv WHERE key = ? AND expires_at IS NOT NULL AND expires_at <= ?');
  const delIfEquals = db.prepare<[string, string, number]>('DELETE FROM kv WHERE key = ? AND value = ? AND (expires_at IS NULL OR expires_at > ?)');
  // One statement (atomic on its own): insert, or take over a key that has expired; changes = 1 when set.
  const insertUnlessLive = db.prepare<[string, string, number | null, number]>(
    'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?');

  let writes = 0;
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : clock() + checkTtl(ttlMs));
  const afterWrite = () => {
    if (++writes % PURGE_EVERY_WRITES === 0) purge.run(clock());
  };
  purge.run(clock());

  const putMany = db.transaction((rows: ReadonlyArray<readonly [string, string, number | null]>) => {
    for (const [key, text, expiresAt] of rows) put.run(key, text, expiresAt);
  });
  const incrementTx = db.transaction((key: string, ttlMs?: number): number => {
    const current = getLive.get(key, clock());
    const next = counterValue(key, current?.value) + 1;
    if (current) putValueOnly.run(String(next), key);
    else put.run(key, String(next), expiry(ttlMs));
    return next;
  });

  return {
    kind: 'sqlite',
    async get<T>(key: string) {
      const now = clock();
      const row = getAny.get(key);
      if (!row) return undefined;
      // An expired key is removed when read (a write only then: most misses are keys never set).
      if (row.expires_at !== null && row.expires_at <= now) {
        delExpiredKey.run(key, now);
        return undefined;
      }
      return decodeValue<T>(row.value);
    },
    async set(key, value, ttlMs) {
      put.run(key, encodeValue(value), expiry(ttlMs));
      afterWrite();
    },
    async setMany(list) {
      const rows = list.map((e) => [e.key, encodeValue(e.value), expiry(e.ttlMs)] as const);
      putMany.immediate(rows);
      afterWrite();
    },
    async delete(key) {
      del.run(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      const text = encodeValue(value);
      checkTtl(ttlMs);
      const set = insertUnlessLive.run(key, text, expiry(ttlMs), clock()).changes === 1;
      afterWrite();
      return set;
    },
    async deleteIfEquals(key, value) {
      return delIfEquals.run(key, encodeValue(value), clock()).changes === 1;
    },
    async increment(key, ttlMs) {
      if (ttlMs !== undefined) checkTtl(ttlMs);
      const n = incrementTx.immediate(key, ttlMs);
      afterWrite();
      return n;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
