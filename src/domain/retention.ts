import type { IspConfig, RetentionRule } from '../config/schema.ts';
import type { Actor } from '../core/types.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { Customer } from '../sheets/records.ts';
import { isoDateIn } from './businessHours.ts';
import { checkCoverage, type CoverageHints } from './coverage.ts';

/** Why a customer wants to leave; ids are stable (quick replies `reason:<id>`, config `retention`). */
export const CANCEL_REASONS = ['precio', 'fallas', 'me_mudo', 'otro_proveedor', 'otro'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export const isCancelReason = (value: string): value is CancelReason => (CANCEL_REASONS as readonly string[]).includes(value);

/** What the decision table looks at. A fact left undefined makes any condition on it fail. */
export interface RetentionFacts {
  reason: CancelReason;
  tenureMonths?: number;
  planMbps?: number;
  openTickets?: number;
  overdue?: boolean;
}

export function ruleApplies(when: RetentionRule['when'], facts: RetentionFacts): boolean {
  if (when.reasons && !when.reasons.includes(facts.reason)) return false;
  if (when.minTenureMonths !== undefined && (facts.tenureMonths === undefined || facts.tenureMonths < when.minTenureMonths)) return false;
  if (when.maxTenureMonths !== undefined && (facts.tenureMonths === undefined || facts.tenureMonths > when.maxTenureMonths)) return false;
  if (when.plansMbps && (facts.planMbps === undefined || !when.plansMbps.includes(facts.planMbps))) return false;
  if (when.minOpenTickets !== undefined && (facts.openTickets === undefined || facts.openTickets < when.minOpenTickets)) return false;
  if (when.overdue !== undefined && (facts.overdue === undefined || facts.overdue !== when.overdue)) return false;
  return true;
}

/** The decision table, top-down: the offer of the first rule whose conditions all hold. Pure. */
export function chooseRetentionOffer(rules: readonly RetentionRule[], facts: RetentionFacts): string | undefined {
  return rules.find((rule) => ruleApplies(rule.when, facts))?.offer;
}

/** Whole months from `signupDate` (YYYY-MM-DD) to `today` (YYYY-MM-DD). */
export function tenureMonths(signupDate: string | undefined, today: string): number | undefined {
  const a = /^(\d{4})-(\d{2})-(\d{2})/.exec(signupDate ?? '');
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!a || !b) return undefined;
  const months = (Number(b[1]) - Number(a[1])) * 12 + (Number(b[2]) - Number(a[2])) - (Number(b[3]) < Number(a[3]) ? 1 : 0);
  return Math.max(0, months);
}

/** A balance is owed and its due date (YYYY-MM-DD) is before `today`. */
export function isOverdue(customer: Pick<Customer, 'balance' | 'dueDate'>, today: string): boolean {
  return (customer.balance ?? 0) > 0 && customer.dueDate !== undefined && customer.dueDate.slice(0, 10) < today;
}

/**
 * Facts about the customer for the decision table. Only for the actor's own account: for anyone
 * not verified as that customer, only the reason counts (a typed number is not proof of identity).
 */
export async function retentionFacts(deps: FlowDeps, actor: Actor, customerId: string, reason: CancelReason): Promise<RetentionFacts> {
  if (actor.customerId !== customerId) return { reason };
  const customer = await deps.store.getCustomer(customerId);
  if (!customer) return { reason };
  const today = isoDateIn(deps.clock(), deps.config.isp.timezone);
  const open = await deps.store.listIncidents({ customerId, status: 'open' });
  const facts: RetentionFacts = { reason, openTickets: open.length, overdue: isOverdue(customer, today) };
  const tenure = tenureMonths(customer.signupDate, today);
  if (tenure !== undefined) facts.tenureMonths = tenure;
  if (customer.planMbps !== undefined) facts.planMbps = customer.planMbps;
  return facts;
}

/**
 * Where a customer who is moving goes, when it is a place we know we do not reach yet
 * (`outsideCoverage` or the NLU `area`): its name, e.g. "San Pedro". Undefined when the text names
 * no place or a covered one (then the change-of-address offer makes sense). Pure.
 */
export function moveOutsideCoverage(config: IspConfig, text: string, hints: CoverageHints = {}): string | undefined {
  const result = checkCoverage(config, text, hints);
  return result.kind === 'outside' ? result.place : undefined;
}
