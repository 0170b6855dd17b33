import type { Logger } from 'pino';
import type { KeyValueStore } from '../../state/keyValue.ts';
import type { WaStatus } from './parseWebhook.ts';
import { alertKey } from './staffAlerts.ts';
import { waUserKey } from './toInbound.ts';
import type { DeliveryStatus } from '../channel.ts';

export interface StatusMetrics {
  /** Delivery statuses seen by this instance (sent, delivered, read, failed…), redeliveries excluded. */
  statuses: Record<string, number>;
  /** Failed deliveries by Meta error code. */
  failedByCode: Record<string, number>;
}

const WEEK_MS = 7 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Where a status webhook records that the message we tagged `callbackData` was accepted by WhatsApp. */
export const sentTagKey = (callbackData: string): string => `wa:tagged:${callbackData}`;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Delivery statuses are metrics, never turns: counted once (redeliveries ignored) in this
 * process and per day in the KV (`metrics:whatsapp:<day>:<status>`, kept 8 days, shared by all
 * instances). A failure is logged with Meta's code; a staff alert refused for the 24-hour
 * window (131047) is handed to `onAlertWindowClosed` to be sent again as a template.
 */
export function createStatusTracker(deps: {
  kv: KeyValueStore;
  log: Logger;
  now: () => number;
  onAlertWindowClosed: (to: string, alert: { kind: string; text: string }) => Promise<void>;
  onDeliveryStatus?: ((update: DeliveryStatus) => Promise<void>) | undefined;
}): { record(status: WaStatus): Promise<void>; rememberAccepted(status: WaStatus): Promise<void>; metrics: StatusMetrics } {
  const metrics: StatusMetrics = { statuses: {}, failedByCode: {} };
  return {
    metrics,
    /** A tagged message WhatsApp accepted: recorded before the webhook is answered, so it is never lost. */
    async rememberAccepted(s) {
      if (s.callbackData && s.status !== 'failed') await deps.kv.set(sentTagKey(s.callbackData), s.wamid, DAY_MS);
    },
    async record(s) {
      if (!(await deps.kv.setIfAbsent(`wa:status:${s.wamid}:${s.status}`, 1, WEEK_MS))) return;
      metrics.statuses[s.status] = (metrics.statuses[s.status] ?? 0) + 1;
      await deps.kv.increment(`metrics:whatsapp:${day(deps.now())}:${s.status}`, WEEK_MS + 24 * 3600_000);
      if (deps.onDeliveryStatus && isDeliveryStatus(s.status)) {
        const error = s.errors.map((e) => `${e.code ?? '?'} ${e.title ?? e.message ?? ''}`.trim()).join('; ');
        await deps.onDeliveryStatus({ providerMessageId: s.wamid, status: s.status, ...(error ? { error } : {}) }).catch((err: unknown) =>
          deps.log.warn({ err, wamid: s.wamid }, 'delivery status not recorded'),
        );
      }
      if (s.status !== 'failed') return;
      const to = s.recipient ? waUserKey(s.recipient) : undefined;
      for (const e of s.errors.length ? s.errors : [{ code: undefined, title: 'no error detail' }]) {
        const code = String(e.code ?? 'unknown');
        metrics.failedByCode[code] = (metrics.failedByCode[code] ?? 0) + 1;
        deps.log.warn({ to, wamid: s.wamid, code: e.code, error: e.title ?? e.message }, 'WhatsApp reports a message as not delivered');
      }
      if (to && s.errors.some((e) => e.code === 131047)) {
        const alert = await deps.kv.get<{ kind: string; text: string }>(alertKey(s.wamid));
        if (alert) await deps.onAlertWindowClosed(to, alert);
        else deps.log.warn({ to, wamid: s.wamid }, 'message not delivered: the 24-hour window had closed (131047)');
      }
    },
  };
}

const isDeliveryStatus = (status: string): status is DeliveryStatus['status'] => ['sent', 'delivered', 'read', 'failed'].includes(status);
