import { z } from 'zod';
import type { GraphMessage } from './graphTypes.ts';

/**
 * A small fetch client for the one Graph endpoint the channel sends to. Why not a library: one
 * endpoint and one body shape family, full control of error codes, retries and the shared
 * limiter (which typed clients hide or duplicate), and no extra dependency.
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

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}/${options.phoneNumberId}/messages`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async send(to, message) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        const reason = e.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (e.cause?.code ?? e.message);
        throw new GraphApiError(0, undefined, `Graph API unreachable (${reason})`);
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const parsed = errorBody.safeParse(body);
        if (!parsed.success) throw new GraphApiError(res.status, undefined, `Graph API answered HTTP ${res.status}`);
        const { code, message: text, error_data } = parsed.data.error;
        throw new GraphApiError(res.status, code, text || `HTTP ${res.status}`, error_data?.details);
      }
      const ok = okBody.safeParse(body);
      if (!ok.success) throw new GraphApiError(res.status, undefined, 'Graph API answered 2xx without a message id');
      return ok.data.messages[0]!.id;
    },
  };
}
