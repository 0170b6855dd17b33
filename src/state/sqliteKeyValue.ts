/**
 * KeyValueStore in a SQLite file (table `kv`), so `launcher chat` keeps sessions, dedupe keys and
 * counters between invocations and several local processes can share them. It may be the same
 * file as the local store (its own table). Expired keys are ignored on read and purged lazily:
 * the key itself when touched, and all expired keys on open and every few hundred writes.
 *
 * Writes are group-committed: every write asked for in one turn of the event loop runs, in the
 * order asked, inside one transaction, and each promise settles once that transaction has
 * committed. A commit is the expensive part (30–45 µs of system calls each); a busy gateway asks
 * for five writes per message, from many conversations at once. A read of a key with a write still
 * waiting commits the waiting writes first, so a caller always reads its own writes. (A caller that
 * awaits one write at a time waits one loop turn for each: nothing to batch with, nothing lost.)
 */
import type { KeyValueStore } from './keyValue.ts';
import { checkTtl, counterValue, decodeValue, encodeValue } from './kvValues.ts';
import { openSqliteFile } from './sqliteFile.ts';

export interface SqliteKeyValueOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

const PURGE_EVERY_WRITES = 500;

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function openSqliteKeyValue(file: string, options: SqliteKeyValueOptions = {}): KeyValueStore {
  const clock = options.clock ?? Date.now;
  // Sessions, dedupe keys and locks: NORMAL survives a killed process; the ISP's records (the local store) are FULL.
  const db = openSqliteFile(file, 'NORMAL');
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
  purge.run(clock());

  // Nested in the group commit, this is a savepoint: a row that fails undoes the others.
  const putAll = db.transaction((rows: ReadonlyArray<readonly [string, string, number | null]>) => {
    for (const [key, text, expiresAt] of rows) put.run(key, text, expiresAt);
  });
  /** Writes waiting for the next group commit, and the keys they touch. */
  let waiting: PendingWrite[] = [];
  const waitingKeys = new Set<string>();
  const commitTx = db.transaction((batch: PendingWrite[]) => {
    const outcomes: Outcome[] = [];
    for (const write of batch) {
      // One write failing (a key that holds no counter) fails only its own promise, unless SQLite
      // rolled the whole transaction back (disk full, I/O error): then the batch is retried below.
      try {
        outcomes.push({ ok: true, value: write.run() });
      } catch (error) {
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    writes += batch.length;
    if (writes >= PURGE_EVERY_WRITES) {
      writes = 0;
      purge.run(clock());
    }
    return outcomes;
  });
  const commitWaiting = (): void => {
    const batch = waiting;
    if (batch.length === 0) return;
    waiting = [];
    waitingKeys.clear();
    let outcomes: Outcome[];
    try {
      outcomes = commitTx.immediate(batch);
    } catch {
      // Nothing of the batch was kept. Each write again in a transaction of its own, so that a
      // promise fails only when its own write does (a full disk may still take a small one).
      outcomes = batch.map((write): Outcome => {
        try {
          return { ok: true, value: db.transaction(write.run).immediate() };
        } catch (error) {
          return { ok: false, error };
        }
      });
    }
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  };
  const enqueue = <T>(keys: readonly string[], run: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!db.open) throw new TypeError('The database connection is not open');
      if (waiting.length === 0) setImmediate(commitWaiting);
      waiting.push({ run, resolve: resolve as (value: unknown) => void, reject });
      for (const key of keys) waitingKeys.add(key);
    });

  return {
    kind: 'sqlite',
    async get<T>(key: string) {
      if (waitingKeys.has(key)) commitWaiting();
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
      const text = encodeValue(value);
      const expiresAt = expiry(ttlMs);
      await enqueue([key], () => put.run(key, text, expiresAt));
    },
    async setMany(list) {
      // Validated before queueing: the rows go in together or not at all.
      const rows = list.map((e) => [e.key, encodeValue(e.value), expiry(e.ttlMs)] as const);
      await enqueue(
        rows.map(([key]) => key),
        () => putAll(rows),
      );
    },
    async delete(key) {
      await enqueue([key], () => del.run(key));
    },
    async setIfAbsent(key, value, ttlMs) {
      const text = encodeValue(value);
      const expiresAt = expiry(ttlMs);
      return enqueue([key], () => insertUnlessLive.run(key, text, expiresAt, clock()).changes === 1);
    },
    async deleteIfEquals(key, value) {
      const text = encodeValue(value);
      return enqueue([key], () => delIfEquals.run(key, text, clock()).changes === 1);
    },
    async increment(key, ttlMs) {
      const expiresAt = expiry(ttlMs);
      return enqueue([key], () => {
        const current = getLive.get(key, clock());
        const next = counterValue(key, current?.value) + 1;
        if (current) putValueOnly.run(String(next), key);
        else put.run(key, String(next), expiresAt);
        return next;
      });
    },
    async close() {
      commitWaiting();
      if (db.open) db.close();
    },
  };
}
