/**
 * Rules every KeyValueStore adapter shares, so they behave the same: values are stored as JSON
 * text (a stored value is a copy; equality for deleteIfEquals is equality of that text), TTLs are
 * positive milliseconds rounded up to a whole millisecond, and counters hold integers.
 */

/** JSON text of a value; throws for values JSON cannot hold (undefined, functions, symbols). */
export function encodeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`cannot store a value of type ${typeof value}`);
  return text;
}

export function decodeValue<T>(text: string | null | undefined): T | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as T);
}

/** A TTL in whole milliseconds; throws RangeError unless it is a finite number > 0. */
export function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

/** The current value of a counter key (absent = 0); throws when the key holds something else. */
export function counterValue(key: string, text: string | null | undefined): number {
  if (text === null || text === undefined) return 0;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || String(n) !== text.trim()) throw new TypeError(`key "${key}" does not hold an integer counter`);
  return n;
}
