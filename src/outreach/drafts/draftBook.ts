/**
 * Campaign drafts in the state store (Redis when configured, so every instance and the CLI see the
 * same ones): one per campaign × customer — the text, who wrote it (Gemini or the template), why
 * Gemini's text was rejected if it was, a hash of the facts it was written for, and whether staff
 * approved it. `outreach preview` writes them, `--regenerate` rewrites them (approval is then
 * lost), `outreach approve` approves them, `outreach run` of a campaign with `approval: true`
 * sends only approved drafts whose facts still match the customer.
 */
import type { KeyValueStore } from '../../state/keyValue.ts';
import { withLock } from '../../state/lock.ts';
import type { Profile } from '../campaigns/profiles.ts';
import type { WrittenMessage } from './writeMessage.ts';

export interface Draft extends WrittenMessage {
  campaign: string;
  customerId: string;
  profile: Profile;
  factsHash: string;
  status: 'draft' | 'approved';
  writtenAt: string;
  approvedAt?: string;
  approvedBy?: string;
}

const KEEP_MS = 60 * 86_400_000;
const draftKey = (campaign: string, customerId: string) => `outreach:draft:${campaign}:${customerId}`;
const indexKey = (campaign: string) => `outreach:drafts:${campaign}`;

export interface ApproveFilter {
  customerIds?: readonly string[];
  profiles?: readonly Profile[];
  by: string;
  at: string;
}

export interface DraftBook {
  get(campaign: string, customerId: string): Promise<Draft | undefined>;
  save(drafts: readonly Draft[]): Promise<void>;
  list(campaign: string): Promise<Draft[]>;
  /** Approves the campaign's drafts that match; returns how many are approved now by this call. */
  approve(campaign: string, filter: ApproveFilter): Promise<number>;
}

export function createDraftBook(kv: KeyValueStore): DraftBook {
  async function addToIndex(campaign: string, ids: readonly string[]): Promise<void> {
    await withLock(kv, indexKey(campaign), 5000, async () => {
      const known = new Set((await kv.get<string[]>(indexKey(campaign))) ?? []);
      const before = known.size;
      for (const id of ids) known.add(id);
      if (known.size !== before) await kv.set(indexKey(campaign), [...known], KEEP_MS);
    });
  }
  const book: DraftBook = {
    get: (campaign, customerId) => kv.get<Draft>(draftKey(campaign, customerId)),
    async save(drafts) {
      const byCampaign = new Map<string, string[]>();
      for (const d of drafts) {
        await kv.set(draftKey(d.campaign, d.customerId), d, KEEP_MS);
        byCampaign.set(d.campaign, [...(byCampaign.get(d.campaign) ?? []), d.customerId]);
      }
      for (const [campaign, ids] of byCampaign) await addToIndex(campaign, ids);
    },
    async list(campaign) {
      const ids = (await kv.get<string[]>(indexKey(campaign))) ?? [];
      const out: Draft[] = [];
      for (const id of ids) {
        const d = await book.get(campaign, id);
        if (d) out.push(d);
      }
      return out;
    },
    async approve(campaign, filter) {
      const wanted = filter.customerIds?.length ? new Set(filter.customerIds) : undefined;
      const profiles = filter.profiles?.length ? new Set(filter.profiles) : undefined;
      let approved = 0;
      for (const d of await book.list(campaign)) {
        if (d.status === 'approved' || (wanted && !wanted.has(d.customerId)) || (profiles && !profiles.has(d.profile))) continue;
        await kv.set(draftKey(campaign, d.customerId), { ...d, status: 'approved', approvedAt: filter.at, approvedBy: filter.by }, KEEP_MS);
        approved++;
      }
      return approved;
    },
  };
  return book;
}
