/**
 * One place that decides what a failed Sheets request means and whether to try it again.
 * Our own loop rather than p-retry: the wait honours Retry-After, the jitter and sleep are
 * injectable (deterministic tests), the loop stops at once when the store closes, and the
 * "may it be repeated?" rule depends on the request: an append whose answer was lost may have
 * landed, so it is not repeated here — the outbox re-checks the id column first (flusher.ts).
 */

/** A failed request, reduced to what we act on. Never holds headers or the request config (tokens). */
export class SheetsApiError extends Error {
  override readonly name = 'SheetsApiError';
  constructor(
    message: string,
    /** HTTP status; undefined when there was no answer (network, timeout). */
    readonly status: number | undefined,
    /** Worth trying again later (429, 5xx, timeouts, network). */
    readonly retryable: boolean,
    /** The request may have been applied although it failed (timeout, lost answer, 5xx). */
    readonly ambiguous: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface GaxiosLike {
  status?: number;
  code?: string | number;
  name?: string;
  message?: string;
  cause?: { code?: string; name?: string; cause?: { code?: string } };
  response?: { status?: number; data?: unknown; headers?: unknown };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const v = h[name];
  return typeof v === 'string' ? v : undefined;
}

/** Any error thrown by the client library → SheetsApiError. */
export function toSheetsApiError(err: unknown): SheetsApiError {
  if (err instanceof SheetsApiError) return err;
  const e = (err ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  if (status !== undefined) {
    const body = e.response?.data as { error?: { message?: string; status?: string } } | undefined;
    const detail = body?.error?.message ?? e.message ?? '';
    const retryAfter = Number(headerValue(e.response?.headers, 'retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    const message = `HTTP ${status}${body?.error?.status ? ` ${body.error.status}` : ''}: ${detail.slice(0, 300)}`;
    if (status === 429) return new SheetsApiError(message, status, true, false, retryAfterMs);
    if (status === 408 || status >= 500) return new SheetsApiError(message, status, true, true, retryAfterMs);
    return new SheetsApiError(message, status, false, false);
  }
  const code = String(e.cause?.cause?.code ?? e.cause?.code ?? e.code ?? e.name ?? 'error');
  if (NEVER_SENT.has(code)) return new SheetsApiError(`unreachable (${code})`, undefined, true, false);
  const timedOut = /timeout|abort/i.test(`${e.name} ${code} ${e.cause?.name ?? ''}`);
  return new SheetsApiError(timedOut ? 'no answer in time (timeout)' : `connection failed (${code})`, undefined, true, true);
}

export interface RetryPolicy {
  maxAttempts: number;
  /** First wait; doubles each attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

export class ClosedError extends Error {
  override readonly name = 'ClosedError';
  constructor() {
    super('the Sheets store is closing');
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ClosedError());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new ClosedError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Equal jitter: half the exponential step fixed, half random; never below Retry-After. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs = 0): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = step / 2 + (policy.random ?? Math.random)() * (step / 2);
  return Math.max(jittered, Math.min(retryAfterMs, policy.maxDelayMs * 4));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or runs out of attempts. `repeatable` says
 * whether an ambiguous failure (maybe applied) may be tried again here.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  options: { repeatable: boolean; signal?: AbortSignal; onRetry?: (err: SheetsApiError, n: number, delayMs: number) => void },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (raw) {
      if (raw instanceof ClosedError) throw raw;
      const err = toSheetsApiError(raw);
      const again = err.retryable && (options.repeatable || !err.ambiguous) && n < policy.maxAttempts;
      if (!again || options.signal?.aborted) throw err;
      const delay = backoffDelay(policy, n, err.retryAfterMs);
      options.onRetry?.(err, n, delay);
      await sleep(delay, options.signal);
    }
  }
}
