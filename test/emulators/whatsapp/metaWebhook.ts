import { createHmac } from 'node:crypto';

/**
 * The Meta side of the webhook: serialises a payload the way Meta sends it (non-ASCII escaped
 * as \uXXXX with lower-case hex, "/" as "\/"), signs the exact bytes with the app secret and
 * POSTs them. A receiver that re-serialises the parsed JSON before checking will not match.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export function metaSignature(body: string | Buffer, appSecret: string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, appSecret).update(body).digest('hex')}`;
}

export interface PostOptions {
  /** Signs with this secret (X-Hub-Signature-256). */
  secret?: string;
  /** Exact headers instead (to send a wrong, missing or sha1 signature). */
  headers?: Record<string, string>;
}

/** POSTs a delivery like Meta does: JSON bytes, content-type application/json, X-Hub-Signature-256. */
export async function postDelivery(webhookUrl: string, body: string | Buffer, options: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
    ...(options.secret ? { 'x-hub-signature-256': metaSignature(body, options.secret) } : {}),
    ...options.headers,
  };
  return fetch(webhookUrl, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}
