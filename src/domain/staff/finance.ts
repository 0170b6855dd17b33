import type { Actor } from '../../core/types.ts';
import type { Customer } from '../../sheets/records.ts';
import { isoDateIn } from '../businessHours.ts';
import {
  DAY_MS,
  addDays,
  canonicalZone,
  countBy,
  daysBetween,
  incidentZone,
  monthlyPrice,
  requireStaff,
  zoneOrder,
  type Count,
  type StaffDeps,
} from './common.ts';
import { buildInsights, type Insight, type MoneyCount } from './insights.ts';

export const REPORT_WINDOW_DAYS = 7;

export interface OverdueAccount {
  id: string;
  name: string;
  zone: string;
  amount: number;
  dueDate: string;
  daysLate: number;
}

export interface FinanceSummary {
  /** Set when the numbers are for one zone only. */
  zone?: string;
  /** The ISP's local date the summary is for (YYYY-MM-DD). */
  today: string;
  currency: string;
  /** Monthly recurring revenue: the monthly price of every active customer. */
  mrr: number;
  activeCustomers: number;
  /** Average revenue per active customer (0 without active customers). */
  arpu: number;
  /** Revenue per plan (Mbps; `null` = no plan in the sheet), slowest plan first. */
  byPlan: MoneyCount<number | null>[];
  /** Revenue per zone, largest first. Empty when filtered by zone. */
  byZone: MoneyCount[];
  /** Balance > 0 with the due date already past, largest debt first. */
  overdue: { count: number; amount: number; byZone: MoneyCount[]; accounts: OverdueAccount[] };
  /** Active customers due in the next 7 days (today included). */
  dueThisWeek: { count: number; amount: number };
  insights: Insight[];
}

function sumBy<K extends string | number | null>(items: readonly Customer[], keyOf: (c: Customer) => K, amountOf: (c: Customer) => number): MoneyCount<K>[] {
  const groups = new Map<K, MoneyCount<K>>();
  for (const c of items) {
    const key = keyOf(c);
    const g = groups.get(key) ?? { key, count: 0, amount: 0 };
    g.count += 1;
    g.amount += amountOf(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const byAmount = <T extends { amount: number }>(items: T[]): T[] => items.sort((a, b) => b.amount - a.amount);
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Staff-only: revenue, average ticket, overdue accounts and a few findings. */
export async function getFinanceSummary(deps: StaffDeps, actor: Actor, now: Date = deps.clock(), options: { zone?: string } = {}): Promise<FinanceSummary> {
  requireStaff(actor, 'getFinanceSummary');
  const { config, store } = deps;
  const zone = canonicalZone(config, options.zone);
  const today = isoDateIn(now, config.isp.timezone);
  const zoneOf = (c: Customer): string => canonicalZone(config, c.zone) ?? '';

  const allCustomers = await store.listCustomers();
  const customers = allCustomers.filter((c) => zone === undefined || zoneOf(c) === zone);
  const active = customers.filter((c) => c.status === 'activo');
  const price = (c: Customer): number => monthlyPrice(config, c);
  const mrr = round2(active.reduce((sum, c) => sum + price(c), 0));

  const overdueRows = customers.filter((c) => (c.balance ?? 0) > 0 && c.dueDate !== undefined && c.dueDate < today);
  const balance = (c: Customer): number => c.balance ?? 0;
  const overdueAmount = round2(overdueRows.reduce((sum, c) => sum + balance(c), 0));
  const overdueByZone = byAmount(sumBy(overdueRows, zoneOf, balance));
  const accounts = overdueRows
    .map((c) => ({ id: c.id, name: c.name, zone: zoneOf(c), amount: balance(c), dueDate: c.dueDate ?? today, daysLate: daysBetween(c.dueDate ?? today, today) }))
    .sort((a, b) => b.amount - a.amount || b.daysLate - a.daysLate);

  const weekEnd = addDays(today, 6);
  const dueSoon = active.filter((c) => c.dueDate !== undefined && c.dueDate >= today && c.dueDate <= weekEnd);
  const dueThisWeek = { count: dueSoon.length, amount: round2(dueSoon.reduce((sum, c) => sum + price(c), 0)) };

  const byPlan = sumBy(active, (c) => c.planMbps ?? null, price).sort((a, b) => (a.key ?? Infinity) - (b.key ?? Infinity));
  const byZone = zone ? [] : byAmount(sumBy(active, zoneOf, price));

  // Zone comparisons only make sense across zones.
  let incidentsByZone: Count[] = [];
  if (!zone) {
    const since = new Date(now.getTime() - REPORT_WINDOW_DAYS * DAY_MS).toISOString();
    const reports = await store.listIncidents({ type: 'falla', createdSince: since });
    const customersById = new Map(allCustomers.map((c) => [c.id, c]));
    incidentsByZone = countBy(reports, (i) => incidentZone(config, i, customersById), zoneOrder(config));
  }

  return {
    ...(zone ? { zone } : {}),
    today,
    currency: config.isp.currency,
    mrr,
    activeCustomers: active.length,
    arpu: active.length ? round2(mrr / active.length) : 0,
    byPlan,
    byZone,
    overdue: { count: overdueRows.length, amount: overdueAmount, byZone: overdueByZone, accounts },
    dueThisWeek,
    insights: buildInsights({
      incidentsByZone,
      incidentDays: REPORT_WINDOW_DAYS,
      overdueByZone: zone ? [] : overdueByZone,
      overdueCount: overdueRows.length,
      overdueAmount,
      dueThisWeek,
      revenueByPlan: byPlan,
      mrr,
    }),
  };
}
