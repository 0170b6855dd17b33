/**
 * The KeyValueStore contract: what every adapter (memory, sqlite, redis, …) must do. Run it with
 * `describeKeyValueContract(name, makeHarness)`; each test gets a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/state/keyValue.ts';

export interface KeyValueHarness {
  kv: KeyValueStore;
  /**
   * Lets `ms` of the store's time pass: advance a fake clock, or really wait. Tests only ask for
   * waits well past a TTL (never "just before it"), so real waiting does not need tight timing.
   */
  elapse(ms: number): Promise<void>;
  /** A second connection to the same data (another process would see this); durable adapters only. */
  reopen?(): Promise<KeyValueStore>;
  /** Removes what the test left behind (files, keys) after kv is closed. */
  cleanup?(): Promise<void>;
}

export interface KeyValueCapabilities {
  /** Time is fake (elapse moves a clock): tests may check the exact expiry boundary. */
  exactTime?: boolean;
  /** The harness offers `reopen`. */
  durable?: boolean;
}

export function describeKeyValueContract(name: string, makeHarness: () => Promise<KeyValueHarness>, caps: KeyValueCapabilities = {}): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let h: KeyValueHarness;
    let kv: KeyValueStore;
    const extra: KeyValueStore[] = [];

    beforeEach(async () => {
      h = await makeHarness();
      kv = h.kv;
    });
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close();
      await kv.close();
      await h.cleanup?.();
    });

    it('returns undefined for a missing key', async () => {
      expect(await kv.get('nothing-here')).toBeUndefined();
    });

    it('round-trips JSON values of every kind and returns copies', async () => {
      const value = { a: 1, b: 'dos', ñ: ['é', null, true], nested: { n: 1.5 } };
      await kv.set('obj', value);
      await kv.set('num', 42);
      await kv.set('str', '=SUMA(A1)');
      await kv.set('bool', false);
      await kv.set('nul', null);
      const got = await kv.get<typeof value>('obj');
      expect(got).toEqual(value);
      got!.a = 99;
      expect(await kv.get('obj')).toEqual(value);
      expect(await kv.get('num')).toBe(42);
      expect(await kv.get('str')).toBe('=SUMA(A1)');
      expect(await kv.get('bool')).toBe(false);
      expect(await kv.get('nul')).toBeNull();
    });

    it('overwrites on set and forgets on delete', async () => {
      await kv.set('k', 1);
      await kv.set('k', 2);
      expect(await kv.get('k')).toBe(2);
      await kv.delete('k');
      expect(await kv.get('k')).toBeUndefined();
      await kv.delete('k'); // deleting a missing key is fine
    });

    it('setMany writes every entry with its own TTL, or none when one value is invalid', async () => {
      await kv.setMany([
        { key: 'm:a', value: { n: 1 } },
        { key: 'm:b', value: 'two', ttlMs: 60_000 },
      ]);
      expect(await kv.get('m:a')).toEqual({ n: 1 });
      expect(await kv.get('m:b')).toBe('two');
      await expect(kv.setMany([{ key: 'm:c', value: 3 }, { key: 'm:d', value: () => 4 }])).rejects.toThrow();
      expect(await kv.get('m:c')).toBeUndefined();
      await kv.setMany([{ key: 'm:short', value: 1, ttlMs: 50 }]);
      await h.elapse(1_200);
      expect(await kv.get('m:short')).toBeUndefined();
      expect(await kv.get('m:a')).toEqual({ n: 1 });
    });

    it('rejects values JSON cannot hold and TTLs that are not positive', async () => {
      await expect(kv.set('u', undefined)).rejects.toThrow(TypeError);
      await expect(kv.set('t', 1, 0)).rejects.toThrow(RangeError);
      await expect(kv.setIfAbsent('t', 1, -5)).rejects.toThrow(RangeError);
      await expect(kv.increment('t', Number.NaN)).rejects.toThrow(RangeError);
      expect(await kv.get('t')).toBeUndefined();
    });

    it('keeps a value with a long TTL and expires one past its TTL', async () => {
      await kv.set('long', 'sí', 60_000);
      await kv.set('short', 'no', 1000);
      await kv.set('forever', 'siempre');
      expect(await kv.get('long')).toBe('sí');
      await h.elapse(2500);
      expect(await kv.get('short')).toBeUndefined();
      expect(await kv.get('long')).toBe('sí');
      expect(await kv.get('forever')).toBe('siempre');
    });

    it.runIf(caps.exactTime)('expires exactly at the TTL (fake clocks only)', async () => {
      await kv.set('k', 1, 1000);
      await h.elapse(999);
      expect(await kv.get('k')).toBe(1);
      await h.elapse(1);
      expect(await kv.get('k')).toBeUndefined();
    });

    it('setIfAbsent sets only once, and again after expiry or delete', async () => {
      expect(await kv.setIfAbsent('d', 'first', 1000)).toBe(true);
      expect(await kv.setIfAbsent('d', 'second', 1000)).toBe(false);
      expect(await kv.get('d')).toBe('first');
      await h.elapse(2500);
      expect(await kv.setIfAbsent('d', 'third', 60_000)).toBe(true);
      expect(await kv.get('d')).toBe('third');
      await kv.delete('d');
      expect(await kv.setIfAbsent('d', 'fourth', 60_000)).toBe(true);
    });

    it('setIfAbsent does not replace a key set without TTL', async () => {
      await kv.set('p', 'kept');
      expect(await kv.setIfAbsent('p', 'other', 60_000)).toBe(false);
      expect(await kv.get('p')).toBe('kept');
    });

    it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => kv.setIfAbsent('race', i, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await kv.get('race')).toBe(results.indexOf(true));
    });

    it('deleteIfEquals deletes only when the value matches', async () => {
      await kv.set('lock', { token: 'abc' });
      expect(await kv.deleteIfEquals('lock', { token: 'xyz' })).toBe(false);
      expect(await kv.get('lock')).toEqual({ token: 'abc' });
      expect(await kv.deleteIfEquals('lock', { token: 'abc' })).toBe(true);
      expect(await kv.get('lock')).toBeUndefined();
      expect(await kv.deleteIfEquals('lock', { token: 'abc' })).toBe(false);
      await kv.set('n', 7);
      expect(await kv.deleteIfEquals('n', '7')).toBe(false);
      expect(await kv.deleteIfEquals('n', 7)).toBe(true);
    });

    it('deleteIfEquals does not see an expired value', async () => {
      await kv.set('gone', 'tok', 1000);
      await h.elapse(2500);
      expect(await kv.deleteIfEquals('gone', 'tok')).toBe(false);
    });

    it('increment counts from 1, is readable with get, and is atomic under concurrency', async () => {
      expect(await kv.increment('c')).toBe(1);
      expect(await kv.increment('c')).toBe(2);
      expect(await kv.get('c')).toBe(2);
      const values = await Promise.all(Array.from({ length: 30 }, () => kv.increment('burst', 60_000)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('increment continues a number stored with set and refuses a non-number', async () => {
      await kv.set('n', 10);
      expect(await kv.increment('n')).toBe(11);
      await kv.set('s', 'diez');
      await expect(kv.increment('s')).rejects.toThrow(TypeError);
      expect(await kv.get('s')).toBe('diez');
    });

    it('increment sets the TTL when it creates the key and does not extend it', async () => {
      expect(await kv.increment('w', 2000)).toBe(1);
      await h.elapse(1200);
      expect(await kv.increment('w', 2000)).toBe(2);
      await h.elapse(1500); // 2700 ms after creation: gone; a TTL renewed by the 2nd call would last until 3200
      expect(await kv.get('w')).toBeUndefined();
      expect(await kv.increment('w', 2000)).toBe(1);
    });

    it('a prefetch hint never changes what get returns: prefetched values, writes after it, keys never read', async () => {
      await kv.set('p:a', { n: 1 }, 60_000);
      await kv.set('p:b', 'b1');
      kv.prefetch?.(['p:a', 'p:b', 'p:missing', 'p:unread']);
      expect(await kv.get('p:a')).toEqual({ n: 1 });
      await kv.set('p:b', 'b2');
      expect(await kv.get('p:b'), 'a write after the prefetch wins').toBe('b2');
      expect(await kv.get('p:missing')).toBeUndefined();
      await kv.set('p:a', { n: 2 });
      expect(await kv.get('p:a'), 'a prefetched value is handed out once').toEqual({ n: 2 });
      kv.prefetch?.(['p:c']);
      expect(await kv.setIfAbsent('p:c', 'c', 60_000)).toBe(true);
      expect(await kv.get('p:c')).toBe('c');
      kv.prefetch?.(['p:d']);
      expect(await kv.increment('p:d')).toBe(1);
      expect(await kv.get('p:d')).toBe(1);
      kv.prefetch?.(['p:a']);
      await kv.delete('p:a');
      expect(await kv.get('p:a')).toBeUndefined();
    });

    it.runIf(caps.durable)('a second connection sees the same data (durable adapters)', async () => {
      if (!h.reopen) throw new Error('durable harness without reopen()');
      await kv.set('shared', { v: 1 }, 60_000);
      expect(await kv.increment('shared-count')).toBe(1);
      const other = await h.reopen();
      extra.push(other);
      expect(await other.get('shared')).toEqual({ v: 1 });
      expect(await other.setIfAbsent('shared', 'x', 60_000)).toBe(false);
      expect(await other.increment('shared-count')).toBe(2);
      expect(await kv.deleteIfEquals('shared', { v: 1 })).toBe(true);
      expect(await other.get('shared')).toBeUndefined();
    });
  });
}
