import type { Readiness } from '../channels/httpServer.ts';

export interface ReadinessProbe {
  name: string;
  /** Resolves true when ready; false or a rejection (its message is reported) when not. */
  check(): Promise<boolean>;
}

const timeout = (ms: number): Promise<never> =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref());

/**
 * /readyz: every probe in parallel, each bounded by `timeoutMs`; any failure → not ready, named
 * with its reason (`{"ok":false,"checks":{"state":"no answer in 2000 ms","store":"ok"}}`).
 */
export function createReadiness(probes: ReadinessProbe[], timeoutMs = 2_000): () => Promise<Readiness> {
  return async () => {
    const results = await Promise.all(
      probes.map(async (p): Promise<[string, string]> => {
        try {
          return [p.name, (await Promise.race([p.check(), timeout(timeoutMs)])) ? 'ok' : 'not ready'];
        } catch (err) {
          return [p.name, (err as Error).message || 'failed'];
        }
      }),
    );
    return { ok: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
  };
}
