/**
 * Retention offers for at-risk customers: every live customer whose churn score (KV, written by
 * `outreach train`) is at or above `outreach.churn.riskThreshold` gets the offer the config's decision
 * table (`retention`, `chooseRetentionOffer`) picks from their facts, and the channel to reach them.
 * The likely reason is read from the churn features: recent faults or mass outages → fallas, an
 * overdue balance → precio, otherwise otro.
 */
import type { IspConfig } from '../../config/schema.ts';
import { chooseRetentionOffer, isOverdue, tenureMonths, type CancelReason, type RetentionFacts } from '../../domain/retention.ts';
import type { Customer } from '../../sheets/records.ts';
import type { Store } from '../../sheets/store.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { localDate } from '../calendar.ts';
import { chooseChannel, type AvailableChannels, type ReachChannel } from '../channels/choice.ts';
import { buildFeatureContext, customerFeatures, type ChurnFeatures } from '../churn/features.ts';
import { getChurnScore } from '../churn/train.ts';

export interface OfferDeps {
  config: IspConfig;
  store: Store;
  kv: KeyValueStore;
  clock: () => Date;
}

export interface RetentionOfferRow {
  customer: Customer;
  score: number;
  facts: RetentionFacts;
  /** Undefined only when no rule of the table matches (the shipped table ends with a catch-all). */
  offer?: string;
  channel: ReachChannel;
}

/** The likely reason to leave, from the churn features (pure). */
export function likelyReason(f: ChurnFeatures): CancelReason {
  if (f.ticketsLast90 > 0 || f.massOutages90 > 0) return 'fallas';
  if (f.overdueDays > 0) return 'precio';
  return 'otro';
}

/** At-risk customers, highest score first, each with the facts, the offer and the channel. */
export async function planRetentionOffers(deps: OfferDeps, available: AvailableChannels): Promise<RetentionOfferRow[]> {
  const now = deps.clock();
  const today = localDate(now, deps.config.isp.timezone);
  const [customers, incidents] = await Promise.all([deps.store.listCustomers(), deps.store.listIncidents()]);
  const ctx = buildFeatureContext(incidents, now, today, deps.config.incidents.massOutage);
  const rows: RetentionOfferRow[] = [];
  for (const customer of customers) {
    if (customer.status === 'cancelado') continue;
    const score = (await getChurnScore(deps.kv, customer.id))?.score;
    if (score === undefined || score < deps.config.outreach.churn.riskThreshold) continue;
    const open = (ctx.incidentsByCustomer.get(customer.id) ?? []).filter((i) => i.status !== 'cerrado').length;
    const facts: RetentionFacts = { reason: likelyReason(customerFeatures(customer, ctx)), openTickets: open, overdue: isOverdue(customer, today) };
    const tenure = tenureMonths(customer.signupDate, today);
    if (tenure !== undefined) facts.tenureMonths = tenure;
    if (customer.planMbps !== undefined) facts.planMbps = customer.planMbps;
    const offer = chooseRetentionOffer(deps.config.retention, facts);
    rows.push({ customer, score, facts, ...(offer ? { offer } : {}), channel: chooseChannel(customer, available) });
  }
  return rows.sort((a, b) => b.score - a.score || a.customer.id.localeCompare(b.customer.id));
}

/** The facts in a short es-MX line for the table: `fallas, 14 meses, 50 Mbps, 2 tickets abiertos, con adeudo`. */
export function describeFacts(f: RetentionFacts): string {
  return [
    f.reason,
    f.tenureMonths !== undefined ? `${f.tenureMonths} meses` : undefined,
    f.planMbps !== undefined ? `${f.planMbps} Mbps` : undefined,
    f.openTickets ? `${f.openTickets} tickets abiertos` : undefined,
    f.overdue ? 'con adeudo' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}
