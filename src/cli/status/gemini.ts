import type { Env } from '../../config/env.ts';
import { getJson, redactUrl, type ComponentStatus } from './componentStatus.ts';

const DEFAULT_ROOT = 'https://generativelanguage.googleapis.com';

/**
 * Gemini: without GEMINI_API_KEY the bot runs offline (NLU and flows answer everything) and this
 * says so in one line; with it, GET /v1beta/models/{model} checks the key, the model and the endpoint.
 */
export async function checkGemini(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Gemini', enabledBy: 'GEMINI_API_KEY', channel: false };
  if (!env.GEMINI_API_KEY) return { ...base, configured: false, detail: 'not configured: the offline NLU and flows answer everything' };
  const root = (env.GEMINI_BASE_URL ?? DEFAULT_ROOT).replace(/\/+$/, '');
  const where = env.GEMINI_BASE_URL ? ` at ${redactUrl(root)}` : '';
  const res = await getJson(`${root}/v1beta/models/${encodeURIComponent(env.GEMINI_MODEL)}`, { 'x-goog-api-key': env.GEMINI_API_KEY });
  return res.ok
    ? { ...base, configured: true, reachable: true, detail: `model ${env.GEMINI_MODEL}${where}: free-form messages go to Gemini` }
    : { ...base, configured: true, reachable: false, detail: `model ${env.GEMINI_MODEL}${where}: ${res.error}; the offline path answers meanwhile` };
}
