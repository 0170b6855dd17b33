import type { Logger } from 'pino';
import type { KeyedQueue } from '../../core/keyedQueue.ts';
import type { Gateway } from '../../gateway.ts';
import type { ConversationWindows } from './conversationWindow.ts';
import { parseDelivery, type WaMessage, type WaStatus } from './parseWebhook.ts';
import type { SendReplies } from './replySender.ts';
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
  gateway: Gateway;
  windows: ConversationWindows;
  sendReplies: SendReplies;
  recordStatus: (s: WaStatus) => Promise<void>;
  /** One FIFO per WhatsApp user: a user's messages in order, different users in parallel. */
  queue: KeyedQueue;
  /** Keeps background work visible to `idle()` and `stop()`. */
  track: (work: Promise<unknown>) => void;
  log: Logger;
  metrics: InboxMetrics;
}

/** Handles a verified delivery after the 200: statuses to metrics, messages to turns and replies. */
export function createInbox(deps: InboxDeps): (raw: Buffer) => void {
  const { log, metrics } = deps;

  async function handle(m: WaMessage): Promise<void> {
    const user = waUserKey(m.waId);
    const turnLog = log.child({ waId: user, messageId: m.wamid, type: m.type });
    try {
      await deps.windows.touch(user, m.timestamp * 1000);
      const inbound = toInbound(m);
      if (!inbound) return void turnLog.info('not a turn (system notice or removed reaction)');
      if (m.content.kind === 'unsupported') turnLog.info({ unsupported: m.content.type }, 'message type not read by the bot; answered as unreadable content');
      const result = await deps.gateway.handle(inbound);
      if (result.duplicate) return void metrics.duplicates++;
      metrics.turns++;
      await deps.sendReplies(user, result.replies, turnLog);
    } catch (err) {
      // Only reached when the state store failed before the turn ran (the 200 was already sent).
      turnLog.error({ err }, 'message not processed: the state store failed; it is lost unless Meta delivers it again');
    }
  }

  return (raw) => {
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

    const byUser = new Map<string, WaMessage[]>();
    for (const m of d.messages) {
      const key = waUserKey(m.waId);
      byUser.set(key, [...(byUser.get(key) ?? []), m]);
    }
    for (const [user, messages] of byUser) {
      // Stable sort: Meta's order within a batch, but never an older message after a newer one.
      for (const m of messages.sort((a, b) => a.timestamp - b.timestamp)) deps.track(deps.queue.run(user, () => handle(m)));
    }
  };
}
