import type { IspConfig, Plan } from '../config/schema.ts';
import { normalizePhone } from '../core/phone.ts';
import { findPlan, fold, plansByPrice } from './catalog.ts';

/**
 * Pure readings of a person's free-text answers (yes/no, names, plan choices, phones).
 * They know nothing of flows or channels, so tools and flows can share them.
 */

const YES_FIRST = new Set(['si', 'simon', 'claro', 'ok', 'okay', 'va', 'vale', 'dale', 'sale', 'orale', 'sip', 'andale', 'correcto', 'afirmativo', 'perfecto', 'yes', 'confirmo', 'confirmar', 'adelante', 'bueno']);
const YES_PHRASES = ['por favor', 'de acuerdo', 'esta bien', 'me parece bien', 'asi es', 'todo bien', 'esta correcto'];
const NO_FIRST = new Set(['no', 'nel', 'nop', 'nope', 'nah', 'negativo', 'nunca']);
const NO_PHRASES = ['mejor no', 'ahorita no', 'todavia no', 'para nada', 'por ahora no', 'de momento no', 'ahora no'];

/** "sí", "simón", "claro que sí" → yes; "no", "nel", "mejor no" → no; anything else → undefined. */
export function parseYesNo(text: string, action?: string): 'yes' | 'no' | undefined {
  if (action === 'yes' || action === 'no') return action;
  const folded = fold(text);
  if (!folded) return undefined;
  const words = folded.split(' ');
  if (words.length > 8) return undefined;
  if (NO_PHRASES.some((p) => folded === p || folded.startsWith(`${p} `))) return 'no';
  if (NO_FIRST.has(words[0] ?? '')) return 'no';
  if (YES_FIRST.has(words[0] ?? '') || YES_PHRASES.some((p) => folded === p || folded.startsWith(`${p} `))) return 'yes';
  return undefined;
}

const NOT_A_NAME = new Set(['quiero', 'hola', 'internet', 'contratar', 'plan', 'gracias', 'menu', 'si', 'no', 'ayuda', 'buenas', 'buenos', 'dias', 'tardes', 'noches']);
const NAME_WORD = /^\p{L}[\p{L}'’.-]*$/u;

/**
 * A full name: at least two words made of letters, no digits. Returns it tidied (single spaces,
 * capitalised when typed all in lower or upper case), or undefined when it does not look like a name.
 */
export function validateFullName(text: string): string | undefined {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  if (!cleaned || cleaned.length > 80 || /\d/.test(cleaned)) return undefined;
  const words = cleaned.split(' ');
  if (words.length < 2 || words.length > 8) return undefined;
  if (!words.every((w) => NAME_WORD.test(w))) return undefined;
  if (words.some((w) => NOT_A_NAME.has(fold(w)))) return undefined;
  return cleaned === cleaned.toLowerCase() || cleaned === cleaned.toUpperCase() ? titleCase(cleaned) : cleaned;
}

/** "las flores" → "Las Flores". */
export function titleCase(text: string): string {
  return text
    .toLowerCase()
    .split(' ')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

const CHEAPEST = ['barato', 'barata', 'economico', 'economica', 'menos caro', 'mas bajo', 'menor precio', 'sencillo'];
const FASTEST = ['rapido', 'rapida', 'veloz', 'mas megas', 'mas velocidad', 'potente', 'mas caro', 'mas alto'];

/**
 * The plan a person chose in free text: the NLU speed, "el de 50", "50 megas", a plan name,
 * a monthly price ("el de 450"), "el más barato" (cheapest) or "el más rápido" (fastest).
 */
export function parsePlanChoice(config: IspConfig, text: string, mbps?: number): Plan | undefined {
  const byEntity = findPlan(config, mbps);
  if (byEntity) return byEntity;
  const folded = ` ${fold(text)} `;
  for (const match of folded.matchAll(/ (\d{1,5}) /g)) {
    const n = Number(match[1]);
    const plan = findPlan(config, n) ?? config.plans.find((p) => p.price === n);
    if (plan) return plan;
  }
  const byName = config.plans.find((p) => folded.includes(` ${fold(p.name)} `));
  if (byName) return byName;
  const sorted = plansByPrice(config);
  if (CHEAPEST.some((w) => folded.includes(` ${w} `))) return sorted[0];
  if (FASTEST.some((w) => folded.includes(` ${w} `))) return [...config.plans].sort((a, b) => b.mbps - a.mbps)[0];
  return undefined;
}

/** A phone typed or shared, normalised (see core/phone.ts); undefined when it is not a valid number. */
export function parsePhoneAnswer(config: IspConfig, text: string, entityPhone?: string): string | undefined {
  const country = config.isp.defaultCountry;
  return (entityPhone ? normalizePhone(entityPhone, country) : undefined) ?? (text ? normalizePhone(text, country) : undefined);
}

/** "525512345678" → "+52 55 1234 5678" for showing a number back to its owner. */
export function formatPhone(phone: string): string {
  const m = /^52(\d{2})(\d{4})(\d{4})$/.exec(phone);
  return m ? `+52 ${m[1]} ${m[2]} ${m[3]}` : `+${phone}`;
}
