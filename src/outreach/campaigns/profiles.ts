/**
 * The customer's profile for message wording (pure), first match wins: en_riesgo (churn score at or
 * above the threshold), primera_instalacion (< 30 days), nuevo (< 6 months), reactivado (an earlier
 * cancellation or retention ticket, still with us), vip (top plan, or 2+ years without debt),
 * recurrente (everyone else).
 */
import type { IspConfig } from '../../config/schema.ts';
import type { Customer, Incident } from '../../sheets/records.ts';
import { daysBetween, isIsoDate } from '../calendar.ts';

export const PROFILES = ['nuevo', 'primera_instalacion', 'recurrente', 'reactivado', 'vip', 'en_riesgo'] as const;
export type Profile = (typeof PROFILES)[number];

export interface ProfileFacts {
  today: string;
  incidents: readonly Incident[];
  churnScore?: number;
}

export function profileOf(config: IspConfig, customer: Customer, facts: ProfileFacts): Profile {
  if (facts.churnScore !== undefined && facts.churnScore >= config.outreach.churn.riskThreshold) return 'en_riesgo';
  const tenureDays = isIsoDate(customer.signupDate) ? daysBetween(customer.signupDate, facts.today) : undefined;
  if (tenureDays !== undefined && tenureDays < 30) return 'primera_instalacion';
  if (tenureDays !== undefined && tenureDays < 183) return 'nuevo';
  const monthAgo = Date.parse(`${facts.today}T00:00:00Z`) - 30 * 86_400_000;
  if (facts.incidents.some((i) => (i.type === 'cancelacion' || i.type === 'retencion') && Date.parse(i.createdAt) < monthAgo)) return 'reactivado';
  const topPrice = Math.max(...config.plans.map((p) => p.price));
  const price = customer.price ?? config.plans.find((p) => p.mbps === customer.planMbps)?.price ?? 0;
  if (price >= topPrice || (tenureDays !== undefined && tenureDays >= 730 && !(customer.balance && customer.balance > 0))) return 'vip';
  return 'recurrente';
}
