import type { Messages } from '../config/messages.ts';
import type { IspConfig, Plan, Zone } from '../config/schema.ts';

/** Plans, prices and zones from config: the only source of prices and coverage. */

// toLocaleString builds a formatter on every call (slow); two shared ones do the same work.
const wholeAmount = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const centsAmount = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatMoney(amount: number, currency = 'MXN'): string {
  const rounded = Math.round(amount * 100) / 100;
  const text = (Number.isInteger(rounded) ? wholeAmount : centsAmount).format(rounded);
  return currency === 'MXN' ? `$${text}` : `${text} ${currency}`;
}

export function findPlan(config: IspConfig, mbps: number | undefined): Plan | undefined {
  return mbps === undefined ? undefined : config.plans.find((p) => p.mbps === mbps);
}

/** A plan's placeholders for catalogue templates: `{name}`, `{mbps}`, `{price}` (formatted). */
export function planVars(config: IspConfig, plan: Plan): { name: string; mbps: number; price: string } {
  return { name: plan.name, mbps: plan.mbps, price: formatMoney(plan.price, config.isp.currency) };
}

/** One plan in a sentence ("Plus 50 Mbps: $450 al mes"), worded by the catalogue's `planes.label`. */
export function planLabel(msg: Messages, config: IspConfig, plan: Plan): string {
  return msg.t('planes.label', planVars(config, plan));
}

/** Short button title (≤ 20 characters): "50 Mbps $450". */
export function planButtonTitle(config: IspConfig, plan: Plan): string {
  return `${plan.mbps} Mbps ${formatMoney(plan.price, config.isp.currency)}`.slice(0, 20);
}

export const plansByPrice = (config: IspConfig): Plan[] => [...config.plans].sort((a, b) => a.price - b.price);

export function findZoneByName(config: IspConfig, name: string | undefined): Zone | undefined {
  if (!name) return undefined;
  const key = fold(name);
  return config.zones.find((z) => fold(z.name) === key);
}

/**
 * The configured zone a written zone means: its exact name, else a name or alias inside the text
 * ("Zona Norte", "lomas del norte" → Norte). For sheet values and free text alike.
 */
export function resolveZone(config: IspConfig, text: string | undefined): Zone | undefined {
  if (!text?.trim()) return undefined;
  return findZoneByName(config, text) ?? findZoneInText(config, text);
}

/** A zone by its name or one of its aliases appearing in free text (accent- and case-insensitive). */
export function findZoneInText(config: IspConfig, text: string): Zone | undefined {
  const folded = ` ${fold(text)} `;
  for (const zone of config.zones) {
    for (const candidate of [zone.name, ...zone.aliases]) {
      if (folded.includes(` ${fold(candidate)} `)) return zone;
    }
  }
  return undefined;
}

/** Lowercase, no accents, punctuation as spaces, single spaces. */
export function fold(text: string): string {
  // Zone names, aliases and plan names are folded on every turn: remember recent results.
  const known = folded.get(text);
  if (known !== undefined) return known;
  const value = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (folded.size >= FOLDED_CACHE) folded.clear();
  if (text.length <= 200) folded.set(text, value);
  return value;
}
const FOLDED_CACHE = 5_000;
const folded = new Map<string, string>();
