import { describe, expect, it } from 'vitest';
import { enableWal } from './sqliteFile.ts';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** A connection whose journal-mode switch fails `failures` times with `error`, then succeeds. */
function connection(failures: number, error: () => Error = busy) {
  const calls: string[] = [];
  return {
    calls,
    pragma(source: string) {
      calls.push(source);
      if (calls.length <= failures) throw error();
      return 'wal';
    },
  };
}

describe('enableWal', () => {
  it('tries again while another process holds the file for a moment', () => {
    const db = connection(3);
    enableWal(db);
    expect(db.calls).toEqual(Array(4).fill('journal_mode = WAL'));
  });

  it('gives up with the error after the timeout', () => {
    const db = connection(Infinity);
    const started = Date.now();
    expect(() => enableWal(db, 60)).toThrow(/database is locked/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('does not retry other errors', () => {
    const db = connection(Infinity, () => Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }));
    expect(() => enableWal(db)).toThrow(/disk I\/O error/);
    expect(db.calls).toHaveLength(1);
  });
});
