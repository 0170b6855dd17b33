import type { IspConfig, Zone } from '../../config/schema.ts';
import type { Actor } from '../../core/types.ts';
import type { Customer, Incident } from '../../sheets/records.ts';
import type { Store } from '../../sheets/store.ts';
import { findPlan, fold, resolveZone } from '../catalog.ts';
import { ForbiddenError } from '../errors.ts';
import { tokenScore } from './fuzzy.ts';

/** What the staff operations read: a subset of FlowDeps, so tools can call them without a flow. */
export interface StaffDeps {
  config: IspConfig;
  store: Store;
  clock: () => Date;
}

/** Every staff-only operation calls this first, whatever routed the request to it. */
export function requireStaff(actor: Actor, operation: string): void {
  if (actor.role !== 'staff') throw new ForbiddenError(`${operation} is for staff only (actor ${actor.key} is ${actor.role})`);
}

export const DAY_MS = 24 * 3600_000;

/** `iso` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A zone as configured (canonical spelling, "Zona Norte" → "Norte") or as written in the sheet. */
export function canonicalZone(config: IspConfig, zone: string | undefined): string | undefined {
  const z = zone?.trim();
  if (!z) return undefined;
  return resolveZone(config, z)?.name ?? z;
}

export const sameZone = (config: IspConfig, a: string | undefined, b: string): boolean => canonicalZone(config, a) === canonicalZone(config, b);

/** The incident's zone, or its customer's zone when the incident row leaves it empty. */
export function incidentZone(config: IspConfig, incident: Incident, customersById: Map<string, Customer>): string | undefined {
  const direct = canonicalZone(config, incident.zone);
  if (direct) return direct;
  const owner = incident.customerId ? customersById.get(incident.customerId) : undefined;
  return canonicalZone(config, owner?.zone);
}

/** The customer's monthly price: their own, else the plan's from config (0 when neither is known). */
export function monthlyPrice(config: IspConfig, customer: Customer): number {
  return customer.price ?? findPlan(config, customer.planMbps)?.price ?? 0;
}

export interface Count<K = string> {
  key: K;
  count: number;
}

/** Counts by key, most frequent first, ties in `order` (then alphabetical). */
export function countBy<T, K extends string | number | null>(items: readonly T[], keyOf: (item: T) => K | undefined, order: readonly K[] = []): Count<K>[] {
  const counts = new Map<K, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return sortCounts([...counts].map(([key, count]) => ({ key, count })), order);
}

export function sortCounts<K extends string | number | null, C extends { key: K; count: number }>(items: C[], order: readonly K[] = []): C[] {
  const rank = (k: K): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return items.sort((a, b) => b.count - a.count || rank(a.key) - rank(b.key) || String(a.key).localeCompare(String(b.key), 'es'));
}

export const zoneOrder = (config: IspConfig): string[] => config.zones.map((z) => z.name);

const ZONE_FILLER = new Set(['zona', 'la', 'el', 'en', 'de', 'del', 'y', 'a', 'al', 'pues', 'mejor', 'ahora', 'ver', 'porfa', 'plis', 'por', 'favor', 'sector']);

/**
 * A configured zone typed with a typo, as staff write a short answer: "nrote", "sentro", "zona
 * ponienet". Only for answers of one or two words (besides "zona", "la"…), and only when one zone
 * fits best; exact names and aliases are `resolveZone`'s job.
 */
export function fuzzyZone(config: IspConfig, text: string): Zone | undefined {
  const words = fold(text)
    .split(' ')
    .filter((w) => w && !ZONE_FILLER.has(w));
  if (words.length === 0 || words.length > 2) return undefined;
  let best: { zone: Zone; score: number } | undefined;
  let tie = false;
  for (const zone of config.zones) {
    const name = fold(zone.name);
    const score = Math.max(...words.map((w) => (w.length >= 4 ? tokenScore(w, name) : 0)));
    if (score < 0.7) continue;
    if (!best || score > best.score) {
      best = { zone, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.zone : undefined;
}
