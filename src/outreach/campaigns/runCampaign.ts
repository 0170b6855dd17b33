/**
 * One campaign over the customers: target (not cancelled, reachable, the campaign's profiles, an
 * optional segment), skip opted-out ones, word each message for the profile, send through the Sender,
 * log it. Exactly once per campaign × customer: a KV claim (`setIfAbsent`, "sending" for 10 minutes)
 * before the send and "sent" (400 days) after it, so a run that stops half-way — crash, Ctrl+C,
 * abort — resumes where it was on the next run, on any instance. A failed send releases the claim.
 * A hard crash during the one in-flight send leaves its claim for 10 minutes, then it is retried.
 */
import type { Customer, Incident } from '../../sheets/records.ts';
import { localDate } from '../calendar.ts';
import { getChurnScore } from '../churn/train.ts';
import { isOptedOut } from '../optOut.ts';
import { inQuietHours } from '../quietHours.ts';
import { planRetentionOffers } from '../retention/offers.ts';
import { failedChannel } from '../sender.ts';
import { campaignText, offerText } from './messages.ts';
import { profileOf, type Profile } from './profiles.ts';
import type { OutreachDeps } from '../deps.ts';

export class CampaignError extends Error {
  override readonly name = 'CampaignError';
}

export type CampaignDeps = OutreachDeps;

export interface CampaignOptions {
  campaign: string;
  /** Customer id → segment name, when filtering by `segment`. */
  segments?: Map<string, string>;
  segment?: string;
  /** Send nothing, claim nothing: return the messages that would go out. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PlannedMessage {
  customer: Customer;
  profile: Profile;
  text: string;
  /** The retention offer in the text (campaigns with `retentionOffer`). */
  offer?: string;
}

export interface CampaignRun {
  campaign: string;
  quietHours: boolean;
  targeted: number;
  sent: number;
  alreadySent: number;
  optedOut: number;
  failed: number;
  aborted: boolean;
  planned: PlannedMessage[];
}

/** Per sender kind, so a console rehearsal never blocks the real send. */
const claimKey = (sender: string, campaign: string, customerId: string) => `outreach:campaign:${sender}:${campaign}:${customerId}`;
const SENDING_TTL_MS = 10 * 60_000;
const SENT_TTL_MS = 400 * 86_400_000;

/** The messages a campaign would send now, one per targeted customer (profile-aware). */
export async function planCampaign(deps: Omit<CampaignDeps, 'sender' | 'log'>, options: CampaignOptions): Promise<{ planned: PlannedMessage[]; optedOut: number }> {
  const def = deps.config.outreach.campaigns[options.campaign];
  if (!def) throw new CampaignError(`unknown campaign "${options.campaign}": configured campaigns are ${Object.keys(deps.config.outreach.campaigns).join(', ')}`);
  if (options.segment && !options.segments) throw new CampaignError('a segment filter needs the segmentation');
  const today = localDate(deps.clock(), deps.config.isp.timezone);
  const [customers, incidents] = await Promise.all([deps.store.listCustomers(), deps.store.listIncidents()]);
  const byCustomer = new Map<string, Incident[]>();
  for (const i of incidents) if (i.customerId) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i]);
  // The channel does not change the offer: the table only needs the customers' facts.
  const offers = def.retentionOffer ? new Map((await planRetentionOffers(deps, { whatsapp: false, telegram: false })).map((r) => [r.customer.id, r.offer])) : undefined;
  const planned: PlannedMessage[] = [];
  let optedOut = 0;
  for (const customer of customers) {
    if (customer.status === 'cancelado' || (!customer.phone && !customer.telegramId)) continue;
    if (options.segment && options.segments?.get(customer.id)?.toLowerCase() !== options.segment.toLowerCase()) continue;
    const score = (await getChurnScore(deps.kv, customer.id))?.score;
    const profile = profileOf(deps.config, customer, { today, incidents: byCustomer.get(customer.id) ?? [], ...(score !== undefined ? { churnScore: score } : {}) });
    if (def.profiles.length > 0 && !def.profiles.includes(profile)) continue;
    if (await isOptedOut(deps.kv, customer.id)) {
      optedOut++;
      continue;
    }
    const offer = offers?.get(customer.id);
    if (offer) planned.push({ customer, profile, offer, text: offerText(deps.config, deps.msg, customer, offer) });
    else planned.push({ customer, profile, text: campaignText(deps.config, deps.msg, customer, profile) });
  }
  return { planned, optedOut };
}

export async function runCampaign(deps: CampaignDeps, options: CampaignOptions): Promise<CampaignRun> {
  const { campaign } = options;
  const run: CampaignRun = { campaign, quietHours: false, targeted: 0, sent: 0, alreadySent: 0, optedOut: 0, failed: 0, aborted: false, planned: [] };
  const { planned, optedOut } = await planCampaign(deps, options);
  Object.assign(run, { targeted: planned.length, optedOut });
  if (options.dryRun) return { ...run, planned };
  if (inQuietHours(deps.clock(), deps.config.isp.timezone, deps.config.outreach.quietHours)) return { ...run, quietHours: true };
  let done = 0;
  for (const item of planned) {
    if (options.signal?.aborted) return { ...run, aborted: true };
    const key = claimKey(deps.sender.kind, campaign, item.customer.id);
    // Opt-out may arrive while the campaign runs: check again right before sending.
    if (await isOptedOut(deps.kv, item.customer.id)) run.optedOut++;
    else if (!(await deps.kv.setIfAbsent(key, { state: 'sending', at: deps.clock().toISOString() }, SENDING_TTL_MS))) run.alreadySent++;
    else {
      try {
        const result = await deps.sender.send({ customer: item.customer, text: item.text, campaign });
        await deps.kv.set(key, { state: 'sent', at: deps.clock().toISOString(), ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}) }, SENT_TTL_MS);
        await deps.log.record({ customerId: item.customer.id, channel: result.channel, campaign, content: item.text, status: 'sent', ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}) });
        run.sent++;
        run.planned.push(item);
      } catch (err) {
        await deps.kv.delete(key);
        run.failed++;
        await deps.log.record({ customerId: item.customer.id, channel: failedChannel(err, deps.sender), campaign, content: item.text, status: 'failed', error: (err as Error).message });
        deps.logger?.warn({ error: (err as Error).message, customerId: item.customer.id, campaign }, 'campaign message not sent');
      }
    }
    options.onProgress?.(++done, planned.length);
  }
  return run;
}
