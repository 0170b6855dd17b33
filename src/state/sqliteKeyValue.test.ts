import { mkdtempSync, rmSync, statSync } from 'node:fs';
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

  describe('group commit (writes asked for in one turn of the event loop commit together)', () => {
    it('runs them in the order asked: the first setIfAbsent wins, the second sees it', async () => {
      const kv = openSqliteKeyValue(file);
      const results = await Promise.all([kv.setIfAbsent('lock', 'a', 5000), kv.setIfAbsent('lock', 'b', 5000), kv.increment('n'), kv.increment('n')]);
      expect(results).toEqual([true, false, 1, 2]);
      expect(await kv.get('lock')).toBe('a');
      await kv.close();
    });

    it('reads its own writes even when the write was not awaited', async () => {
      const kv = openSqliteKeyValue(file);
      const written = kv.set('k', { v: 1 });
      expect(await kv.get('k')).toEqual({ v: 1 });
      await written;
      const deleted = kv.delete('k');
      expect(await kv.get('k')).toBeUndefined();
      await deleted;
      await kv.close();
    });

    it('one failing write fails only its own promise; the others commit', async () => {
      const kv = openSqliteKeyValue(file);
      await kv.set('text', 'not a counter');
      const [a, bad, b] = await Promise.allSettled([kv.set('a', 1), kv.increment('text'), kv.set('b', 2)]);
      expect(a.status).toBe('fulfilled');
      expect(bad.status).toBe('rejected');
      expect(b.status).toBe('fulfilled');
      await kv.close();
      const reopened = openSqliteKeyValue(file);
      expect([await reopened.get('a'), await reopened.get('b'), await reopened.get('text')]).toEqual([1, 2, 'not a counter']);
      await reopened.close();
    });

    it('a write that fails the whole transaction (disk full) fails alone: the others are stored, and only they', async () => {
      // The store's own connection, to give it a full disk: max_page_count is set per connection.
      let connection: Database.Database | undefined;
      const pragma = Database.prototype.pragma;
      Database.prototype.pragma = function (this: Database.Database, ...args: Parameters<typeof pragma>) {
        connection ??= this;
        return pragma.apply(this, args);
      } as typeof pragma;
      let kv: ReturnType<typeof openSqliteKeyValue>;
      try {
        kv = openSqliteKeyValue(file);
      } finally {
        Database.prototype.pragma = pragma;
      }
      await kv.set('seed', 1);
      connection!.pragma(`max_page_count = ${(connection!.pragma('page_count', { simple: true }) as number) + 2}`);
      const [a, big, c] = await Promise.allSettled([kv.set('a', 1), kv.set('big', 'y'.repeat(200_000)), kv.increment('c')]);
      await kv.close();
      expect([a.status, big.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((big as PromiseRejectedResult).reason)).toMatch(/full/i);
      const check = new Database(file, { readonly: true });
      expect((check.prepare('SELECT key FROM kv ORDER BY key').all() as { key: string }[]).map((r) => r.key)).toEqual(['a', 'c', 'seed']);
      check.close();
    });

    it('commits what is waiting on close, and settles every promise', async () => {
      const kv = openSqliteKeyValue(file);
      const writes = Array.from({ length: 50 }, (_, i) => kv.set(`k${i}`, i));
      await kv.close();
      await expect(Promise.all(writes)).resolves.toHaveLength(50);
      await expect(kv.set('late', 1)).rejects.toThrow(/not open/);
      const reopened = openSqliteKeyValue(file);
      expect(await reopened.get('k49')).toBe(49);
      await reopened.close();
    });

    it('many concurrent writers share few transactions and lose nothing', async () => {
      const kv = openSqliteKeyValue(file);
      await Promise.all(Array.from({ length: 500 }, (_, i) => kv.set(`w${i}`, i)));
      const other = new Database(file, { readonly: true });
      expect((other.prepare("SELECT count(*) AS n FROM kv WHERE key LIKE 'w%'").get() as { n: number }).n).toBe(500);
      // Every commit appends at least one page to the write-ahead log: 500 commits would leave ≥ 500 frames.
      const pageSize = other.pragma('page_size', { simple: true }) as number;
      other.close();
      const frames = statSync(`${file}-wal`).size / (pageSize + 24);
      expect(frames).toBeLessThan(100);
      await kv.close();
    });
  });
});
