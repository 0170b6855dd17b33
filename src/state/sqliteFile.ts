/**
 * How every SQLite file of the gateway is opened (state, local store, Sheets outbox, notification
 * log): in WAL mode, so several processes can share it, each waiting up to 5 s for the others' writes.
 */
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * `synchronous`: FULL = a commit is on disk when it returns (survives power loss); NORMAL = it is in
 * the WAL (survives a killed process; an OS crash may lose the last moments).
 */
export function openSqliteFile(file: string, synchronous: 'NORMAL' | 'FULL'): Database.Database {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  enableWal(db);
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}

interface Pragmas {
  pragma(source: string): unknown;
}

/**
 * Switches to WAL mode. That switch can answer SQLITE_BUSY at once, without the busy wait other
 * statements get, while another process holds the file for a moment (its own switch at the same
 * time, or the checkpoint of its last connection closing): then it is tried again for up to `timeoutMs`.
 */
export function enableWal(db: Pragmas, timeoutMs = BUSY_TIMEOUT_MS): void {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      // Opening is synchronous (better-sqlite3): a short blocking pause, at start-up only.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
  }
}
