import type { Env } from '../../config/env.ts';
import { getJson, type ComponentStatus } from './componentStatus.ts';

export async function checkGemini(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Gemini', enabledBy: 'GEMINI_API_KEY', channel: false };
  if (!env.GEMINI_API_KEY) return { ...base, configured: false, detail: 'not configured: the offline NLU answers everything' };
  const root = env.GEMINI_BASE_URL ?? 'https://generativelanguage.googleapis.com';
  const res = await getJson(`${root}/v1beta/models/${env.GEMINI_MODEL}`, { 'x-goog-api-key': env.GEMINI_API_KEY });
  return { ...base, configured: true, reachable: res.ok, detail: res.ok ? `model ${env.GEMINI_MODEL}` : res.error };
}
