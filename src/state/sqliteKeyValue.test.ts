import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteKeyValue } from './sqliteKeyValue.ts';

describe('sqlite key-value (specifics)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-kv-'));
    file = join(dir, 'state.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('expires keys on the real clock by default', async () => {
    const kv = openSqliteKeyValue(file);
    await kv.set('k', 1, 150);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await kv.get('k')).toBeUndefined();
    await kv.close();
  });

  it('keeps values across close and reopen', async () => {
    const a = openSqliteKeyValue(file);
    await a.set('k', { v: 'sí' });
    await a.increment('n');
    await a.close();
    const b = openSqliteKeyValue(file);
    expect(await b.get('k')).toEqual({ v: 'sí' });
    expect(await b.increment('n')).toBe(2);
    await b.close();
  });

  it('purges expired rows lazily: the touched key, and all expired ones on open', async () => {
    let now = 0;
    const kv = openSqliteKeyValue(file, { clock: () => now });
    await kv.set('a', 1, 1000);
    await kv.set('b', 2, 1000);
    await kv.set('c', 3);
    now = 5000;
    expect(await kv.get('a')).toBeUndefined();
    const count = () => {
      const db = new Database(file, { readonly: true });
      const n = (db.prepare('SELECT count(*) AS n FROM kv').get() as { n: number }).n;
      db.close();
      return n;
    };
    expect(count()).toBe(2);
    await kv.close();
    const reopened = openSqliteKeyValue(file, { clock: () => now });
    expect(count()).toBe(1);
    await reopened.close();
  });
});
