import { ApiError } from '@google/genai';

/**
 * Why a Gemini request or turn did not produce an answer. One `classifyError` decides what is
 * retried: 408/429/500/502/503/504, timeouts and network errors are transient; anything else the
 * API refused (400 bad request or key, 403 permission, 404 model) is not, and is logged with its reason.
 */
export type FailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'rejected'
  | 'turn_budget'
  | 'token_budget'
  | 'tool_limit'
  | 'invalid_response'
  | 'grounding'
  | 'spend_cap'
  | 'internal';

export interface Failure {
  kind: FailureKind;
  retryable: boolean;
  status?: number;
  /** Google's reason (`API_KEY_INVALID`, `RESOURCE_EXHAUSTED`…) or the error's message, never a secret. */
  reason?: string;
  /** The server's RetryInfo delay (429), when it sent one. */
  retryDelayMs?: number;
}

/** A failed model request after the retries the turn could afford. */
export class GeminiError extends Error {
  override readonly name = 'GeminiError';
  constructor(readonly failure: Failure, readonly attempts: number) {
    super(`gemini ${failure.kind}${failure.status ? ` ${failure.status}` : ''}${failure.reason ? `: ${failure.reason}` : ''}`);
  }
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

interface GoogleErrorBody {
  error?: { message?: string; status?: string; details?: { reason?: string; retryDelay?: string }[] };
}

function parseBody(message: string): GoogleErrorBody['error'] {
  try {
    return (JSON.parse(message) as GoogleErrorBody).error;
  } catch {
    return undefined;
  }
}

const seconds = (text: string | undefined): number | undefined => {
  const m = text ? /^(\d+(?:\.\d+)?)s$/.exec(text) : null;
  return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
};

export function classifyError(err: unknown): Failure {
  if (err instanceof GeminiError) return err.failure;
  if (err instanceof ApiError) {
    const body = parseBody(err.message);
    const detailReason = body?.details?.find((d) => d.reason)?.reason;
    const reason = [detailReason ?? body?.status, body?.message].filter(Boolean).join(': ').slice(0, 300) || `HTTP ${err.status}`;
    const retryDelayMs = seconds(body?.details?.find((d) => d.retryDelay)?.retryDelay);
    const kind: FailureKind = err.status === 429 ? 'rate_limited' : err.status === 408 ? 'timeout' : err.status >= 500 ? 'server_error' : 'rejected';
    return { kind, retryable: RETRYABLE_STATUS.has(err.status), status: err.status, reason, ...(retryDelayMs !== undefined ? { retryDelayMs } : {}) };
  }
  const e = err as (Error & { cause?: { code?: string } }) | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', retryable: true, reason: 'no answer in time' };
  if (e instanceof TypeError && /fetch failed|network|socket/i.test(e.message)) {
    return { kind: 'network', retryable: true, reason: e.cause?.code ?? e.message };
  }
  return { kind: 'internal', retryable: false, reason: e?.message?.slice(0, 300) ?? String(err) };
}
