import type { Env } from '../../config/env.ts';

export interface ComponentStatus {
  name: string;
  configured: boolean;
  /** undefined = not checked (not configured, or nothing to reach). */
  reachable?: boolean;
  detail: string;
  /** The variable(s) that enable it. */
  enabledBy: string;
  /** Whether this component is a channel that serves customers. */
  channel: boolean;
}

export type StatusCheck = (env: Env) => Promise<ComponentStatus>;

export const TIMEOUT_MS = 2500;

export async function getJson(url: string, headers: Record<string, string>): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body: unknown = await res.json().catch(() => ({}));
    if (!res.ok) {
      const description = (body as { description?: string; error?: { message?: string } }).description ?? (body as { error?: { message?: string } }).error?.message;
      return { ok: false, error: `HTTP ${res.status}${description ? `: ${description}` : ''}` };
    }
    return { ok: true, body };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message);
    return { ok: false, error: `unreachable (${reason})` };
  }
}


export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');
