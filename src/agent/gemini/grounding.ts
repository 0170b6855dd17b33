import type { IspConfig } from '../../config/schema.ts';
import type { Actor } from '../../core/types.ts';

/**
 * The reply is checked before it is sent. A model can still write a price or a number it did not
 * get from a tool; then the text is not sent as is:
 * - every amount of money in it must be a configured plan price or appear in the tool results
 *   (the customer's own balance) — a price the person typed ("me dijeron que cuesta $300")
 *   does not count;
 * - every long digit run (a phone, an account or CLABE) must come from the tool results, the
 *   person's own message or the actor's own phone.
 */
export type Grounding = { ok: true } | { ok: false; reason: 'price' | 'personal_data'; found: string[] };

export interface GroundingFacts {
  config: IspConfig;
  /** Function responses of this turn (and of the remembered turns: what the model was told). */
  toolResponses: readonly unknown[];
  userText: string;
  actor: Actor;
}

const MONEY = [
  /\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/g,
  /(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:pesos|mxn|m\.n\.|mn\b|usd|d[oó]lares)/gi,
];
const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;
/** 7+ digits, possibly split by spaces, dashes, dots or parentheses ("55 1234 5678", "(55) 1234-5678"). */
const DIGIT_RUN = /\+?\d(?:[\s().-]?\d){6,}/g;

const cents = (n: number): number => Math.round(n * 100);
const toNumber = (text: string): number => Number(text.replace(/,/g, ''));

function amountsIn(text: string): { text: string; value: number }[] {
  const found: { text: string; value: number }[] = [];
  for (const re of MONEY) {
    for (const m of text.matchAll(re)) {
      const value = toNumber(`${m[1] ?? ''}${m[2] ? `.${m[2]}` : ''}`);
      if (Number.isFinite(value)) found.push({ text: m[0].trim(), value });
    }
  }
  return found;
}

/** Every number and every digit string in a JSON value (keys excluded). */
function collect(value: unknown, numbers: Set<number>, digits: string[]): void {
  if (typeof value === 'number') {
    numbers.add(cents(value));
    digits.push(String(value));
  } else if (typeof value === 'string') {
    for (const m of value.matchAll(NUMBER)) numbers.add(cents(toNumber(m[0])));
    digits.push(value.replace(/\D/g, ''));
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, numbers, digits);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collect(v, numbers, digits);
  }
}

export function checkGrounding(text: string, facts: GroundingFacts): Grounding {
  const numbers = new Set<number>(facts.config.plans.map((p) => cents(p.price)));
  const digits: string[] = [];
  collect(facts.toolResponses, numbers, digits);
  collect(facts.userText, new Set(), digits);
  if (facts.actor.phone) digits.push(facts.actor.phone);

  const prices = amountsIn(text).filter((a) => !numbers.has(cents(a.value)));
  if (prices.length) return { ok: false, reason: 'price', found: prices.map((p) => p.text) };

  const known = digits.join(' ');
  const runs = [...text.matchAll(DIGIT_RUN)].map((m) => m[0]).filter((run) => {
    const d = run.replace(/\D/g, '');
    // A number the person or a tool gave; a Mexican number may be written without its 52 / 521 prefix.
    return !known.includes(d) && !known.includes(d.slice(-10));
  });
  if (runs.length) return { ok: false, reason: 'personal_data', found: runs };
  return { ok: true };
}
