import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from './keyValue.ts';
import { LockTimeoutError, withLock } from './lock.ts';
import { createMemoryKeyValue } from './memoryKeyValue.ts';
import { openSqliteKeyValue } from './sqliteKeyValue.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function runsOneAtATime(kv: KeyValueStore, kv2: KeyValueStore = kv) {
  let inside = 0;
  let maxInside = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      withLock(i % 2 ? kv2 : kv, 'conv', 10_000, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(5);
        order.push(i);
        inside--;
      }),
    ),
  );
  expect(maxInside).toBe(1);
  expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
}

describe('withLock', () => {
  it('runs holders of the same key one at a time (memory)', async () => {
    await runsOneAtATime(createMemoryKeyValue());
  });

  it('runs holders one at a time across two SQLite connections to one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const a = openSqliteKeyValue(join(dir, 'state.db'));
    const b = openSqliteKeyValue(join(dir, 'state.db'));
    try {
      await runsOneAtATime(a, b);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not block different keys', async () => {
    const kv = createMemoryKeyValue();
    const result = await withLock(kv, 'a', 10_000, () => withLock(kv, 'b', 10_000, async () => 'ok', { timeoutMs: 50 }));
    expect(result).toBe('ok');
  });

  it('returns the value, releases on success and on error', async () => {
    const kv = createMemoryKeyValue();
    expect(await withLock(kv, 'k', 10_000, async () => 42)).toBe(42);
    expect(await kv.get('lock:k')).toBeUndefined();
    await expect(withLock(kv, 'k', 10_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await kv.get('lock:k')).toBeUndefined();
  });

  it('times out when the lock stays taken', async () => {
    const kv = createMemoryKeyValue();
    await kv.set('lock:k', 'someone-else', 60_000);
    await expect(withLock(kv, 'k', 10_000, async () => 1, { timeoutMs: 100 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await kv.get('lock:k')).toBe('someone-else');
  });

  it('takes over a lock whose holder died (TTL expired) and never frees a lock it no longer owns', async () => {
    let now = 0;
    const kv = createMemoryKeyValue(() => now);
    await kv.set('lock:k', 'dead-holder', 1000);
    now = 1500;
    await withLock(kv, 'k', 1000, async () => {
      now = 3000; // our own TTL ran out while we worked, and someone else took the lock
      await kv.set('lock:k', 'next-holder', 1000);
    });
    expect(await kv.get('lock:k')).toBe('next-holder');
  });
});
