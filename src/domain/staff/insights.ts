import type { Count } from './common.ts';

/**
 * Plain findings computed from the numbers; the flow renders each kind from the message
 * catalogue (`finanzas.insights.<kind>`). One only appears when the data clearly supports it.
 */
export type Insight =
  | { kind: 'topIncidentZone'; zone: string; count: number; days: number }
  | { kind: 'debtConcentration'; zone: string; percent: number }
  | { kind: 'dueThisWeek'; count: number; amount: number }
  | { kind: 'topPlanRevenue'; mbps: number; percent: number };

export interface MoneyCount<K = string> {
  key: K;
  count: number;
  amount: number;
}

export interface InsightInput {
  /** Failure reports of the last `incidentDays` days per zone, most first. */
  incidentsByZone: Count[];
  incidentDays: number;
  /** Overdue debt per zone, largest first. */
  overdueByZone: MoneyCount[];
  overdueCount: number;
  overdueAmount: number;
  /** Active customers whose payment falls due in the next 7 days. */
  dueThisWeek: { count: number; amount: number };
  revenueByPlan: MoneyCount<number | null>[];
  mrr: number;
}

const MIN_ZONE_REPORTS = 2;
const DEBT_SHARE = 0.4;
const PLAN_SHARE = 0.5;

/** A clear leader: first by `value`, strictly ahead of the second. */
function leader<T>(items: readonly T[], value: (item: T) => number): T | undefined {
  const sorted = [...items].sort((a, b) => value(b) - value(a));
  const [first, second] = sorted;
  if (!first) return undefined;
  return second && value(second) >= value(first) ? undefined : first;
}

export function buildInsights(input: InsightInput, max = 3): Insight[] {
  const out: Insight[] = [];

  const topZone = leader(input.incidentsByZone, (z) => z.count);
  if (topZone && topZone.count >= MIN_ZONE_REPORTS) {
    out.push({ kind: 'topIncidentZone', zone: topZone.key, count: topZone.count, days: input.incidentDays });
  }

  const topDebt = leader(input.overdueByZone, (z) => z.amount);
  if (topDebt && input.overdueCount >= 2 && input.overdueAmount > 0 && topDebt.amount / input.overdueAmount >= DEBT_SHARE) {
    out.push({ kind: 'debtConcentration', zone: topDebt.key, percent: Math.round((topDebt.amount / input.overdueAmount) * 100) });
  }

  if (input.dueThisWeek.count > 0) out.push({ kind: 'dueThisWeek', ...input.dueThisWeek });

  const paying = input.revenueByPlan.filter((p) => p.amount > 0);
  const topPlan = leader(paying, (p) => p.amount);
  if (topPlan && topPlan.key !== null && paying.length >= 2 && input.mrr > 0 && topPlan.amount / input.mrr >= PLAN_SHARE) {
    out.push({ kind: 'topPlanRevenue', mbps: topPlan.key, percent: Math.round((topPlan.amount / input.mrr) * 100) });
  }

  return out.slice(0, max);
}
