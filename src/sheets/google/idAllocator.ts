/**
 * Folios (`F-000123`) and prospect ids (`P-000045`) that stay unique across processes: numbers
 * come from a counter in the KV store (Redis INCR when REDIS_URL is set; the SQLite state file in
 * DATA_DIR otherwise, shared by the processes on one machine that share DATA_DIR), raised to the
 * highest number the sheet already holds so imported or hand-typed rows are never reused.
 *
 * Without Redis, instances on different machines do not share the counter and could hand out
 * the same folio: run them with REDIS_URL (a repeated folio still shows up in `rowIssues` and in
 * `launcher --mode status`). A folio typed by hand above the counter is skipped once the sheet
 * has been read again.
 */
import { withLock } from '../../state/lock.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { formatSequentialId } from '../sequentialIds.ts';

export interface IdAllocator {
  /** A new id of `prefix`; `highest` is the largest number in use that we know of, `taken` checks one id. */
  next(prefix: string, highest: number, taken: (id: string) => boolean): Promise<string>;
}

export function createIdAllocator(kv: KeyValueStore, namespace: string): IdAllocator {
  return {
    async next(prefix, highest, taken) {
      const key = `${namespace}:seq:${prefix}`;
      for (;;) {
        const n = await kv.increment(key);
        if (n > highest) {
          const id = formatSequentialId(prefix, n);
          if (!taken(id)) return id;
          continue;
        }
        // The counter is behind the sheet (first use, or rows imported / typed by hand): raise it,
        // under a lock so two processes cannot move it backwards.
        await withLock(kv, `${key}:raise`, 5000, async () => {
          const current = Number((await kv.get<number | string>(key)) ?? 0);
          if (current < highest) await kv.set(key, highest);
        });
      }
    },
  };
}
