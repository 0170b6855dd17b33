import type { Logger } from 'pino';
import type { Metrics } from '../../metrics/metrics.ts';
import { classify, type GraphClient } from './graphClient.ts';
import type { GraphMessage } from './graphTypes.ts';
import type { SendLimiter } from './sendLimiter.ts';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  /** First delay after a throughput error (130429), a rate limit or a 5xx; doubles each time. */
  baseMs: number;
  maxMs: number;
  /** First delay after 131056 (too many messages to the same person); doubles each time. */
  slowBaseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 8_000, slowBaseMs: 4_000 };

export type Delivery =
  | { ok: true; wamid: string }
  /** `window`: 131047, the 24-hour window is closed; `failed`: anything else, already logged. */
  | { ok: false; reason: 'window' | 'failed'; error: unknown };

export type Deliver = (to: string, message: GraphMessage, log: Logger) => Promise<Delivery>;

const errorFields = (err: unknown): Record<string, unknown> => {
  const e = err as { status?: number; code?: number; message?: string; details?: string };
  return { status: e.status, code: e.code, error: e.message, ...(e.details ? { details: e.details } : {}) };
};

/**
 * One message through the shared limiter, retried with exponential backoff and jitter when Meta
 * says so (throughput, rate limits, 5xx, network), more slowly on the per-recipient pair limit.
 * Never rejects: the outcome says what happened, failures are logged with Meta's error code.
 */
export function createDeliver(deps: { client: GraphClient; limiter: SendLimiter; limiterKey: string; retry: RetryPolicy; sleep?: (ms: number) => Promise<void> }): Deliver {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { retry } = deps;
  return async (to, message, log) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.limiter.take(deps.limiterKey);
        return { ok: true, wamid: await deps.client.send(to, message) };
      } catch (err) {
        const kind = classify(err);
        if (kind === 'window') return { ok: false, reason: 'window', error: err };
        if (kind === 'fatal' || attempt >= retry.attempts) {
          log.error({ to, type: message.type, attempts: attempt, ...errorFields(err) }, 'WhatsApp message not sent');
          return { ok: false, reason: 'failed', error: err };
        }
        const base = kind === 'slow' ? retry.slowBaseMs : retry.baseMs;
        const cap = kind === 'slow' ? retry.maxMs * 4 : retry.maxMs;
        const delay = Math.round(Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
        log.warn({ to, type: message.type, attempt, delayMs: delay, ...errorFields(err) }, 'WhatsApp send failed, retrying');
        await sleep(delay);
      }
    }
  };
}

/** Counts each outcome in the Prometheus metrics: a send, or an error by Meta's code (`window` = 131047). */
export function countDeliveries(deliver: Deliver, metrics: Metrics | undefined): Deliver {
  if (!metrics) return deliver;
  return async (to, message, log) => {
    const result = await deliver(to, message, log);
    if (result.ok) metrics.sends.inc({ channel: 'whatsapp' });
    else metrics.sendErrors.inc({ channel: 'whatsapp', code: String((result.error as { code?: number }).code ?? (result.reason === 'window' ? 131047 : 'none')) });
    return result;
  };
}
