/**
 * Churn features of one customer from the store's rows (pure): recent tickets and their priority,
 * overdue balance, tenure, plan changes, cancellation / hand-off requests, and mass outages suffered
 * in the customer's zone. Counts are as of `today` (ISP time zone).
 */
import type { Customer, Incident } from '../../sheets/records.ts';
import { daysBetween, isIsoDate } from '../calendar.ts';

export interface ChurnFeatures {
  ticketsLast90: number;
  altaLast90: number;
  overdueDays: number;
  tenureMonths: number;
  planChanges: number;
  cancelOrHumano: number;
  massOutages90: number;
}

export const FEATURE_NAMES = ['ticketsLast90', 'altaLast90', 'overdueDays', 'tenureMonths', 'planChanges', 'cancelOrHumano', 'massOutages90'] as const;

export interface MassOutageRule {
  threshold: number;
  windowMinutes: number;
}

/** Start times of mass outages per zone: `threshold` falla tickets within `windowMinutes`. */
export function massOutageEvents(incidents: readonly Incident[], rule: MassOutageRule): Map<string, number[]> {
  const byZone = new Map<string, number[]>();
  for (const i of incidents) {
    if (i.type !== 'falla' || !i.zone) continue;
    const list = byZone.get(i.zone) ?? [];
    list.push(Date.parse(i.createdAt));
    byZone.set(i.zone, list);
  }
  const windowMs = rule.windowMinutes * 60_000;
  const events = new Map<string, number[]>();
  for (const [zone, times] of byZone) {
    times.sort((a, b) => a - b);
    const found: number[] = [];
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! > windowMs) start++;
      const last = found[found.length - 1];
      if (end - start + 1 >= rule.threshold && (last === undefined || times[end]! - last > windowMs)) found.push(times[start]!);
    }
    events.set(zone, found);
  }
  return events;
}

export interface FeatureContext {
  now: Date;
  today: string;
  /** Incidents grouped by customer id. */
  incidentsByCustomer: Map<string, Incident[]>;
  outages: Map<string, number[]>;
}

export function buildFeatureContext(incidents: readonly Incident[], now: Date, today: string, rule: MassOutageRule): FeatureContext {
  const incidentsByCustomer = new Map<string, Incident[]>();
  for (const i of incidents) {
    if (!i.customerId) continue;
    const list = incidentsByCustomer.get(i.customerId) ?? [];
    list.push(i);
    incidentsByCustomer.set(i.customerId, list);
  }
  return { now, today, incidentsByCustomer, outages: massOutageEvents(incidents, rule) };
}

const DAY = 86_400_000;

export function customerFeatures(customer: Customer, ctx: FeatureContext): ChurnFeatures {
  const since = ctx.now.getTime() - 90 * DAY;
  const mine = ctx.incidentsByCustomer.get(customer.id) ?? [];
  const recent = mine.filter((i) => Date.parse(i.createdAt) >= since);
  const tickets = recent.filter((i) => i.type === 'falla');
  const overdue = (customer.balance ?? 0) > 0 && isIsoDate(customer.dueDate) && customer.dueDate < ctx.today;
  return {
    ticketsLast90: tickets.length,
    altaLast90: tickets.filter((i) => i.priority === 'alta').length,
    overdueDays: overdue ? daysBetween(customer.dueDate!, ctx.today) : 0,
    tenureMonths: isIsoDate(customer.signupDate) ? Math.max(0, daysBetween(customer.signupDate, ctx.today) / 30.44) : 0,
    planChanges: mine.filter((i) => i.type === 'cambio_plan').length,
    cancelOrHumano: mine.filter((i) => i.type === 'cancelacion' || i.type === 'humano' || i.type === 'retencion').length,
    massOutages90: (ctx.outages.get(customer.zone) ?? []).filter((t) => t >= since).length,
  };
}
