import { Pool } from 'undici';
import { z } from 'zod';
import type { GraphMessage } from './graphTypes.ts';

/**
 * A small client for the one Graph endpoint the channel sends to, on an undici keep-alive pool.
 * Why not a WhatsApp SDK: one endpoint and one body shape family, full control of error codes,
 * retries and the shared limiter (which typed clients hide or duplicate).
 */
export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

export interface GraphClient {
  /** Sends one message; resolves with its wamid. Rejects with GraphApiError. */
  send(to: string, message: GraphMessage): Promise<string>;
}

/** An error answered by the Graph API (or no answer at all: status 0). */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

export type ErrorClass = 'retry' | 'slow' | 'window' | 'fatal';

/** Codes Meta documents as transient (throughput, rate limits, temporary service errors). */
const TRANSIENT = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 133004]);

/** How an error is handled: retry with backoff, retry slowly (pair rate), window closed, or give up. */
export function classify(err: unknown): ErrorClass {
  if (!(err instanceof GraphApiError)) return 'fatal';
  if (err.code === 131047) return 'window';
  if (err.code === 131056) return 'slow';
  if (err.status === 0 || err.status >= 500 || (err.code !== undefined && TRANSIENT.has(err.code))) return 'retry';
  return 'fatal';
}

const errorBody = z.object({
  error: z.looseObject({
    message: z.string().default(''),
    code: z.number().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});
const okBody = z.object({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });

export function createGraphClient(options: GraphClientOptions): GraphClient & { close(): Promise<void> } {
  const base = new URL(options.baseUrl);
  const path = `${base.pathname.replace(/\/+$/, '')}/${options.version}/${options.phoneNumberId}/messages`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  // Keep-alive connections to graph.facebook.com, reused by every send (fetch costs far more CPU per call).
  const pool = new Pool(base.origin, { connections: 64, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
  return {
    async send(to, message) {
      let status: number;
      let body: unknown;
      try {
        const res = await pool.request({ method: 'POST', path, headers, body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }) });
        status = res.statusCode;
        body = await res.body.json().catch(() => undefined);
      } catch (err) {
        const e = err as Error & { code?: string };
        const reason = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' ? `no answer in ${timeoutMs} ms` : (e.code ?? e.message);
        throw new GraphApiError(0, undefined, `Graph API unreachable (${reason})`);
      }
      if (status < 200 || status >= 300) {
        const parsed = errorBody.safeParse(body);
        if (!parsed.success) throw new GraphApiError(status, undefined, `Graph API answered HTTP ${status}`);
        const { code, message: text, error_data } = parsed.data.error;
        throw new GraphApiError(status, code, text || `HTTP ${status}`, error_data?.details);
      }
      const ok = okBody.safeParse(body);
      if (!ok.success) throw new GraphApiError(status, undefined, 'Graph API answered 2xx without a message id');
      return ok.data.messages[0]!.id;
    },
    close: async () => {
      if (!pool.closed && !pool.destroyed) await pool.close();
    },
  };
}
