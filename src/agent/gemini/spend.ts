import { isoDateIn } from '../../domain/businessHours.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { withLock } from '../../state/lock.ts';

/**
 * The day's Gemini spend, shared by every instance and kept across restarts: one KV key per
 * calendar day of the ISP (`gemini:spend:YYYY-MM-DD`, micro-dollars, kept 3 days). Additions are
 * read-modify-write under a KV lock, so two instances never lose each other's cost.
 */
export interface SpendLedger {
  /** USD spent today (ISP's timezone). */
  today(): Promise<{ day: string; usd: number }>;
  /** Adds a turn's cost; returns today's new total in USD. */
  add(usd: number): Promise<number>;
}

const KEEP_MS = 3 * 24 * 3600_000;
const LOCK_TTL_MS = 5000;

export const spendKey = (day: string): string => `gemini:spend:${day}`;

/** The cost of some tokens at the configured list price. */
export function costUsd(price: IspConfig['gemini']['priceUsdPer1MTokens'], tokensIn: number, tokensOut: number): number {
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}

export function createSpendLedger(kv: KeyValueStore, timezone: string, clock: () => Date): SpendLedger {
  const day = (): string => isoDateIn(clock(), timezone);
  return {
    async today() {
      const d = day();
      return { day: d, usd: ((await kv.get<number>(spendKey(d))) ?? 0) / 1_000_000 };
    },
    async add(usd) {
      const key = spendKey(day());
      const micro = Math.round(usd * 1_000_000);
      return withLock(kv, key, LOCK_TTL_MS, async () => {
        const total = ((await kv.get<number>(key)) ?? 0) + micro;
        await kv.set(key, total, KEEP_MS);
        return total / 1_000_000;
      });
    },
  };
}
