/**
 * One campaign over the customers: target (not cancelled, reachable, the campaign's profiles, an
 * optional segment), skip opted-out ones, word each message for the profile (the stored draft, or
 * the writer: Gemini checked, else the template), send through the Sender, log it. A campaign with
 * `approval: true` sends only drafts staff approved (see drafts/draftBook.ts); a customer no
 * configured channel reaches is not sent to but listed for a staff call. Exactly once per campaign × customer: a KV claim (`setIfAbsent`, "sending" for 10 minutes)
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
import { factsHash, messageFacts, type MessageFacts } from '../drafts/messageFacts.ts';
import type { Draft, DraftBook } from '../drafts/draftBook.ts';
import { templateWriter, type MessageWriter } from '../drafts/writeMessage.ts';

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
  /** Where drafts are kept; without it every message is written at send time. */
  drafts?: DraftBook;
  /** Writes a message that has no usable draft (default: the template). */
  writer?: MessageWriter;
  /** How the sends are run: one after the other here (default), or through the BullMQ queue (campaignQueue.ts). */
  dispatch?: CampaignDispatch;
}

/**
 * Runs `send` once per planned customer (by customer id), reporting progress; resolves when every
 * one was handled or `signal` aborted. The claims in `runCampaign` keep it once per customer whatever
 * the dispatcher does (a retried job, two runners).
 */
export type CampaignDispatch = (
  campaign: string,
  items: readonly PlannedMessage[],
  send: (item: PlannedMessage) => Promise<void>,
  options: { signal?: AbortSignal; onDone: () => void },
) => Promise<void>;

const inOrder: CampaignDispatch = async (_campaign, items, send, { signal, onDone }) => {
  for (const item of items) {
    if (signal?.aborted) return;
    await send(item);
    onDone();
  }
};

export interface PlannedMessage {
  customer: Customer;
  profile: Profile;
  text: string;
  /** The retention offer in the text (campaigns with `retentionOffer`). */
  offer?: string;
  /** What a written message may say about the customer. */
  facts: MessageFacts;
}

export interface CampaignRun {
  campaign: string;
  quietHours: boolean;
  targeted: number;
  sent: number;
  alreadySent: number;
  optedOut: number;
  failed: number;
  /** Approval required and no approved draft (or the customer's facts changed since): not sent yet. */
  awaitingApproval: number;
  /** No configured channel reaches them: the staff call (not claimed, not logged). */
  staffCalls: PlannedMessage[];
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
    const facts = messageFacts(deps.config, customer, profile, today, offer);
    if (offer) planned.push({ customer, profile, offer, facts, text: offerText(deps.config, deps.msg, customer, offer) });
    else planned.push({ customer, profile, facts, text: campaignText(deps.config, deps.msg, customer, profile) });
  }
  return { planned, optedOut };
}

export interface PreparedDraft {
  item: PlannedMessage;
  draft: Draft;
  /** Written by this call (rather than kept from an earlier preview). */
  fresh: boolean;
}

/** A stored draft that still fits the customer (written for the same facts). */
const usable = (draft: Draft | undefined, item: PlannedMessage): draft is Draft => draft !== undefined && draft.factsHash === factsHash(item.facts);

/**
 * `outreach preview`: a draft for every targeted customer — the one stored when it still fits,
 * else (or with `regenerate`) a new one from the writer — stored for review and approval.
 */
export async function prepareDrafts(
  deps: Omit<CampaignDeps, 'sender' | 'log'>,
  options: CampaignOptions & { drafts: DraftBook; regenerate?: boolean },
): Promise<{ prepared: PreparedDraft[]; optedOut: number }> {
  const { planned, optedOut } = await planCampaign(deps, options);
  const def = deps.config.outreach.campaigns[options.campaign]!;
  const writer = options.writer ?? templateWriter;
  const prepared: PreparedDraft[] = [];
  const fresh: Draft[] = [];
  for (const item of planned) {
    if (options.signal?.aborted) break;
    const stored = await options.drafts.get(options.campaign, item.customer.id);
    if (!options.regenerate && usable(stored, item)) {
      prepared.push({ item, draft: stored, fresh: false });
    } else {
      const written = await writer.write(item, { name: options.campaign, goal: def.description });
      const draft: Draft = { ...written, campaign: options.campaign, customerId: item.customer.id, profile: item.profile, factsHash: factsHash(item.facts), status: 'draft', writtenAt: deps.clock().toISOString() };
      fresh.push(draft);
      prepared.push({ item, draft, fresh: true });
    }
    options.onProgress?.(prepared.length, planned.length);
  }
  await options.drafts.save(fresh);
  return { prepared, optedOut };
}

/** The text to send: an approved draft when the campaign needs approval (else undefined), otherwise a fitting draft or a newly written message. */
async function textFor(deps: CampaignDeps, options: CampaignOptions, item: PlannedMessage): Promise<string | undefined> {
  const def = deps.config.outreach.campaigns[options.campaign]!;
  const stored = await options.drafts?.get(options.campaign, item.customer.id);
  if (def.approval) return usable(stored, item) && stored.status === 'approved' ? stored.text : undefined;
  if (usable(stored, item)) return stored.text;
  return (await (options.writer ?? templateWriter).write(item, { name: options.campaign, goal: def.description })).text;
}

export async function runCampaign(deps: CampaignDeps, options: CampaignOptions): Promise<CampaignRun> {
  const { campaign } = options;
  const run: CampaignRun = { campaign, quietHours: false, targeted: 0, sent: 0, alreadySent: 0, optedOut: 0, failed: 0, awaitingApproval: 0, staffCalls: [], aborted: false, planned: [] };
  const { planned, optedOut } = await planCampaign(deps, options);
  Object.assign(run, { targeted: planned.length, optedOut });
  if (options.dryRun) return { ...run, planned, staffCalls: planned.filter((p) => deps.sender.reaches?.(p.customer) === false) };
  if (deps.config.outreach.campaigns[campaign]!.approval && !options.drafts) throw new CampaignError(`campaign "${campaign}" needs approved drafts: run \`outreach preview\` and \`outreach approve\` first`);
  if (inQuietHours(deps.clock(), deps.config.isp.timezone, deps.config.outreach.quietHours)) return { ...run, quietHours: true };
  let done = 0;
  const dispatch = options.dispatch ?? inOrder;
  await dispatch(campaign, planned, (item) => sendOne(deps, options, item, run), {
    ...(options.signal ? { signal: options.signal } : {}),
    onDone: () => options.onProgress?.(++done, planned.length),
  });
  return options.signal?.aborted ? { ...run, aborted: true } : run;
}

/** One customer of a campaign: opt-out, reach, claim, write, send, log — counted in `run`. */
async function sendOne(deps: CampaignDeps, options: CampaignOptions, item: PlannedMessage, run: CampaignRun): Promise<void> {
  const { campaign } = options;
  {
    const key = claimKey(deps.sender.kind, campaign, item.customer.id);
    let text: string | undefined;
    // Opt-out may arrive while the campaign runs: check again right before sending.
    if (await isOptedOut(deps.kv, item.customer.id)) run.optedOut++;
    else if (deps.sender.reaches?.(item.customer) === false) run.staffCalls.push(item);
    // A cheap look first, so a resumed run does not write messages for customers already done.
    else if ((await deps.kv.get(key)) !== undefined) run.alreadySent++;
    else if ((text = await textFor(deps, options, item)) === undefined) run.awaitingApproval++;
    else if (!(await deps.kv.setIfAbsent(key, { state: 'sending', at: deps.clock().toISOString() }, SENDING_TTL_MS))) run.alreadySent++;
    else {
      item.text = text;
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
  }
}
