/**
 * Puts a SQLite file in WAL mode, as every process sharing it does when it opens it. Switching the
 * journal mode can answer SQLITE_BUSY at once, without waiting like other statements do, while
 * another process holds the file for a moment (its own switch at the same time, or the checkpoint
 * of its last connection closing): then it is tried again for up to `timeoutMs`.
 */
interface Pragmas {
  pragma(source: string): unknown;
}

export function enableWal(db: Pragmas, timeoutMs = 5_000): void {
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
