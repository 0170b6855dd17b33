/**
 * Writes one campaign message for a customer: with Gemini when a model client is given (the
 * profile's prompt with the customer's facts, then `checkDraft`), else — and whenever Gemini's
 * answer is rejected, fails, or the day's Gemini spend cap is reached — the es-MX template of the
 * profile. A rejection is logged with its reason and returned, so it is stored with the draft.
 */
import type { Logger } from 'pino';
import type { Messages } from '../../config/messages.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { ModelClient } from '../../agent/gemini/client.ts';
import { GeminiError } from '../../agent/gemini/errors.ts';
import { costUsd, createSpendLedger } from '../../agent/gemini/spend.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import type { PlannedMessage } from '../campaigns/runCampaign.ts';
import { checkDraft, MAX_MESSAGE_CHARS, type RejectReason } from './checkDraft.ts';

export type DraftSource = 'gemini' | 'template';

export interface WrittenMessage {
  text: string;
  source: DraftSource;
  /** Why Gemini's text was not used (the template was). */
  rejected?: { reason: RejectReason | 'gemini_failed' | 'spend_cap'; detail: string; modelText?: string };
}

export interface MessageWriter {
  readonly kind: DraftSource;
  write(item: PlannedMessage, campaign: { name: string; goal: string }): Promise<WrittenMessage>;
}

/** The profile's template (what planCampaign already put in the item). */
export const templateWriter: MessageWriter = {
  kind: 'template',
  async write(item) {
    return { text: item.text, source: 'template' };
  },
};

export interface GeminiWriterDeps {
  config: IspConfig;
  msg: Messages;
  kv: KeyValueStore;
  clock: () => Date;
  client: ModelClient;
  logger?: Logger;
}

/** Asks for at most this many characters, so a slightly long answer still fits the 800 limit. */
const ASK_CHARS = 500;

export function createGeminiWriter(deps: GeminiWriterDeps): MessageWriter {
  const { config, msg } = deps;
  const ledger = createSpendLedger(deps.kv, config.isp.timezone, deps.clock);
  const systemInstruction = msg.t('outreach.prompt.system', { isp: config.isp.name, tone: config.gemini.tone, maxChars: ASK_CHARS });
  const log = deps.logger?.child({ component: 'outreach-writer', model: deps.client.model });

  return {
    kind: 'gemini',
    async write(item, campaign) {
      const fallback = (rejected: NonNullable<WrittenMessage['rejected']>): WrittenMessage => {
        log?.warn({ customerId: item.customer.id, profile: item.profile, campaign: campaign.name, reason: rejected.reason, detail: rejected.detail }, 'Gemini message not used: template instead');
        return { text: item.text, source: 'template', rejected };
      };
      const spent = await ledger.today();
      if (spent.usd >= config.gemini.dailySpendCapUsd) return fallback({ reason: 'spend_cap', detail: `${spent.usd.toFixed(4)} USD spent today (cap ${config.gemini.dailySpendCapUsd})` });
      const request = msg.t('outreach.prompt.request', {
        profile: item.profile,
        guide: msg.t(`outreach.prompt.${item.profile}`),
        campaign: campaign.name,
        goal: campaign.goal || campaign.name,
        facts: JSON.stringify(item.facts, null, 1),
      });
      let text: string;
      try {
        const deadline = performance.now() + config.gemini.turnBudgetSeconds * 1000;
        const { response } = await deps.client.generate({ contents: [{ role: 'user', parts: [{ text: request }] }], systemInstruction, functionDeclarations: [] }, deadline);
        const usage = response.usageMetadata;
        const cost = costUsd(config.gemini.priceUsdPer1MTokens, usage?.promptTokenCount ?? 0, (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0));
        if (cost > 0) await ledger.add(cost);
        text = (response.text ?? '').trim();
      } catch (err) {
        return fallback({ reason: 'gemini_failed', detail: err instanceof GeminiError ? err.message : (err as Error).message });
      }
      const check = checkDraft(config, text, item.facts, item.customer.phone);
      if (!check.ok) return fallback({ reason: check.reason, detail: check.detail, modelText: text.slice(0, MAX_MESSAGE_CHARS + 200) });
      return { text, source: 'gemini' };
    },
  };
}
