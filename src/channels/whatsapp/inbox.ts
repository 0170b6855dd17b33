import type { Logger } from 'pino';
import type { InboundMessage } from '../../core/types.ts';
import type { TurnPipeline } from '../../queue/turnPipeline.ts';
import type { ConversationWindows } from './conversationWindow.ts';
import { parseDelivery, type WaMessage, type WaStatus } from './parseWebhook.ts';
import { toInbound, waUserKey } from './toInbound.ts';

export interface InboxMetrics {
  deliveries: number;
  /** Signed bodies that could not be read at all (answered 200, logged with the reason). */
  malformed: number;
  /** Messages or statuses skipped inside an otherwise readable delivery. */
  skippedItems: number;
  turns: number;
  duplicates: number;
  rejectedSignatures: number;
}

export interface InboxDeps {
  phoneNumberId: string;
  windows: ConversationWindows;
  /** Where the turns go: accepted before Meta gets its 200, run one at a time per user. */
  pipeline: TurnPipeline;
  recordStatus: (s: WaStatus) => Promise<void>;
  /** Awaited before the 200: that a reply we tagged was accepted (a retried turn must not send it again). */
  rememberAccepted: (s: WaStatus) => Promise<void>;
  /** Keeps background work (statuses, notices) visible to `idle()` and `stop()`. */
  track: (work: Promise<unknown>) => void;
  log: Logger;
  metrics: InboxMetrics;
}

/**
 * Reads a verified delivery: statuses are recorded in the background, messages are translated and
 * submitted to the pipeline. Resolves once the pipeline accepted them (the webhook then answers
 * 200); rejects when it could not (the webhook answers 503 and Meta delivers again).
 */
export function createInbox(deps: InboxDeps): (raw: Buffer) => Promise<void> {
  const { log, metrics } = deps;

  return async (raw) => {
    metrics.deliveries++;
    const parsed = parseDelivery(raw, deps.phoneNumberId);
    if (!parsed.ok) {
      metrics.malformed++;
      log.warn({ reason: parsed.reason, bytes: raw.length }, 'signed webhook body not understood; answered 200 so Meta does not retry it');
      return;
    }
    const d = parsed.delivery;
    metrics.skippedItems += d.problems.length;
    for (const problem of d.problems) log.warn({ problem }, 'webhook item skipped');
    if (d.foreign) log.info({ items: d.foreign }, 'webhook items for another phone-number id ignored');
    if (d.otherFields.length) log.info({ fields: d.otherFields }, 'webhook fields other than messages ignored');
    for (const s of d.statuses) deps.track(deps.recordStatus(s).catch((err: unknown) => log.error({ err, wamid: s.wamid }, 'status not recorded')));

    // Stable sort: Meta's order within a batch, but never an older message after a newer one.
    const turns: InboundMessage[] = [];
    for (const m of [...d.messages].sort((a, b) => a.timestamp - b.timestamp)) {
      const inbound = toInbound(m);
      if (inbound) {
        if (m.content.kind === 'unsupported') log.info({ waId: inbound.userId, messageId: m.wamid, unsupported: m.content.type }, 'message type not read by the bot; answered as unreadable content');
        turns.push(inbound);
      } else {
        // Not a turn, but still the user writing: it keeps the 24-hour window open.
        deps.track(touch(m));
        log.info({ waId: waUserKey(m.waId), messageId: m.wamid, type: m.type }, 'not a turn (system notice or removed reaction)');
      }
    }
    await Promise.all([deps.pipeline.submit(turns), ...d.statuses.filter((s) => s.callbackData).map(deps.rememberAccepted)]);
  };

  async function touch(m: WaMessage): Promise<void> {
    await deps.windows.touch(waUserKey(m.waId), m.timestamp * 1000).catch((err: unknown) => log.warn({ err }, 'conversation window not updated'));
  }
}
