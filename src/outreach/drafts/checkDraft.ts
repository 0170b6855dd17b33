/**
 * The check a written message passes before anyone sees it as usable (pure): not empty, at most
 * 800 characters (the catalogue's limit), every amount of money one of the facts' amounts or a
 * configured plan price, and no long digit run (phone, account) other than the customer's own
 * phone — the agent's grounding rule (src/agent/gemini/grounding.ts) with the facts as the only source.
 */
import type { IspConfig } from '../../config/schema.ts';
import { checkGrounding } from '../../agent/gemini/grounding.ts';
import { allowedAmounts, type MessageFacts } from './messageFacts.ts';

export const MAX_MESSAGE_CHARS = 800;

export type RejectReason = 'empty' | 'too_long' | 'invented_price' | 'personal_data';
export type DraftCheck = { ok: true } | { ok: false; reason: RejectReason; detail: string };

export function checkDraft(config: IspConfig, text: string, facts: MessageFacts, phone: string): DraftCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty', detail: 'empty answer' };
  if (trimmed.length > MAX_MESSAGE_CHARS) return { ok: false, reason: 'too_long', detail: `${trimmed.length} characters (max ${MAX_MESSAGE_CHARS})` };
  const grounding = checkGrounding(trimmed, {
    config,
    toolResponses: [allowedAmounts(facts)],
    userText: '',
    actor: { role: 'customer', key: 'outreach', ...(phone ? { phone } : {}) },
  });
  if (grounding.ok) return { ok: true };
  return { ok: false, reason: grounding.reason === 'price' ? 'invented_price' : 'personal_data', detail: grounding.found.join(', ') };
}
