/**
 * RFM features per live customer (pure): recency = days since the last contact or payment notice
 * (latest ticket of any type, else the sign-up date), frequency = tickets and payment notices in the
 * last 365 days, monetary = monthly price and lifetime value (price × months of tenure).
 */
import type { IspConfig } from '../../config/schema.ts';
import type { Customer, Incident } from '../../sheets/records.ts';
import { daysBetween, isIsoDate } from '../calendar.ts';

export interface RfmRow {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monthlyPrice: number;
  lifetimeValue: number;
  tenureMonths: number;
}

export const RFM_FEATURES = ['recencyDays', 'frequency', 'monthlyPrice', 'lifetimeValue'] as const;

export function rfmRows(config: IspConfig, customers: readonly Customer[], incidents: readonly Incident[], today: string): RfmRow[] {
  const byCustomer = new Map<string, string[]>();
  for (const i of incidents) {
    if (!i.customerId) continue;
    const list = byCustomer.get(i.customerId) ?? [];
    list.push(i.createdAt.slice(0, 10));
    byCustomer.set(i.customerId, list);
  }
  const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
  return customers
    .filter((c) => c.status !== 'cancelado')
    .map((c) => {
      const dates = (byCustomer.get(c.id) ?? []).sort();
      const signup = isIsoDate(c.signupDate) ? c.signupDate : undefined;
      const last = dates[dates.length - 1] ?? signup ?? today;
      const tenureMonths = signup ? Math.max(0, daysBetween(signup, today) / 30.44) : 0;
      const price = c.price ?? config.plans.find((p) => p.mbps === c.planMbps)?.price ?? 0;
      return {
        customerId: c.id,
        recencyDays: Math.max(0, daysBetween(last, today)),
        frequency: dates.filter((d) => d >= yearAgo).length,
        monthlyPrice: price,
        lifetimeValue: Math.round(price * tenureMonths),
        tenureMonths,
      };
    });
}
