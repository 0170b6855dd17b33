import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { telegramConfigured, whatsappConfigured, whatsappMissing, type Env } from '../config/env.ts';
import { openLocalStore } from '../sheets/local/localStore.ts';

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

const TIMEOUT_MS = 2500;

/** Every component checked in parallel, each bounded by a short timeout: status never hangs. */
export async function checkAll(env: Env): Promise<ComponentStatus[]> {
  return Promise.all([checkTelegram(env), checkWhatsApp(env), checkGemini(env), checkSheets(env), checkRedis(env), checkLocalStore(env)]);
}

async function checkTelegram(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Telegram', enabledBy: 'TELEGRAM_BOT_TOKEN', channel: true };
  if (!telegramConfigured(env)) return { ...base, configured: false, detail: 'not configured' };
  const root = env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
  const res = await getJson(`${root}/bot${env.TELEGRAM_BOT_TOKEN}/getMe`, {});
  if (!res.ok) return { ...base, configured: true, reachable: false, detail: res.error };
  const username = (res.body as { result?: { username?: string } }).result?.username;
  return { ...base, configured: true, reachable: true, detail: `bot @${username ?? '?'}` };
}

async function checkWhatsApp(env: Env): Promise<ComponentStatus> {
  const base = { name: 'WhatsApp', enabledBy: 'WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN', channel: true };
  if (!whatsappConfigured(env)) {
    const missing = whatsappMissing(env);
    return { ...base, configured: false, detail: missing.length === 4 ? 'not configured' : `missing ${missing.join(', ')}` };
  }
  const url = `${env.WHATSAPP_GRAPH_URL}/${env.WHATSAPP_GRAPH_VERSION}/${env.WHATSAPP_PHONE_NUMBER_ID}`;
  const res = await getJson(url, { authorization: `Bearer ${env.WHATSAPP_ACCESS_TOKEN}` });
  const id = `phone-number id ${env.WHATSAPP_PHONE_NUMBER_ID}, webhook http://${env.MESSAGING_HOST}:${env.MESSAGING_PORT}/webhook`;
  return { ...base, configured: true, reachable: res.ok, detail: res.ok ? id : `${id}: ${res.error}` };
}

async function checkGemini(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Gemini', enabledBy: 'GEMINI_API_KEY', channel: false };
  if (!env.GEMINI_API_KEY) return { ...base, configured: false, detail: 'not configured: the offline NLU answers everything' };
  const root = env.GEMINI_BASE_URL ?? 'https://generativelanguage.googleapis.com';
  const res = await getJson(`${root}/v1beta/models/${env.GEMINI_MODEL}`, { 'x-goog-api-key': env.GEMINI_API_KEY });
  return { ...base, configured: true, reachable: res.ok, detail: res.ok ? `model ${env.GEMINI_MODEL}` : res.error };
}

async function checkSheets(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Google Sheets', enabledBy: 'GOOGLE_SHEETS_ID + GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON', channel: false };
  if (!env.GOOGLE_SHEETS_ID) return { ...base, configured: false, detail: 'not configured: the local store is used' };
  const creds = env.GOOGLE_APPLICATION_CREDENTIALS ?? (env.GOOGLE_SERVICE_ACCOUNT_JSON ? 'inline JSON' : undefined);
  if (!creds) return { ...base, configured: false, detail: 'GOOGLE_SHEETS_ID set but no service-account credentials' };
  return { ...base, configured: true, detail: 'configured, but this version still uses the local store (the Sheets adapter is not built yet)' };
}

async function checkRedis(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Redis', enabledBy: 'REDIS_URL', channel: false };
  if (!env.REDIS_URL) return { ...base, configured: false, detail: 'not configured: sessions in the local store file' };
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const started = performance.now();
  try {
    await redis.connect();
    await redis.ping();
    return { ...base, configured: true, reachable: true, detail: `${redactUrl(env.REDIS_URL)} (${Math.round(performance.now() - started)} ms)` };
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: `${redactUrl(env.REDIS_URL)}: ${(err as Error).message}` };
  } finally {
    redis.disconnect();
  }
}

async function checkLocalStore(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Local store', enabledBy: 'DATA_DIR (default ./data)', channel: false };
  const file = join(env.DATA_DIR, 'isp.db');
  try {
    mkdirSync(env.DATA_DIR, { recursive: true });
    accessSync(env.DATA_DIR, constants.W_OK);
    if (!existsSync(file)) return { ...base, configured: true, reachable: true, detail: `${file} (empty; \`launcher data demo\` fills it)` };
    const store = openLocalStore({ file });
    try {
      const [c, i, p] = await Promise.all([store.listCustomers(), store.listIncidents(), store.listProspects()]);
      return { ...base, configured: true, reachable: true, detail: `${file}: ${c.length} clientes, ${i.length} incidentes, ${p.length} prospectos` };
    } finally {
      await store.close();
    }
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: `${file}: ${(err as Error).message}` };
  }
}

async function getJson(url: string, headers: Record<string, string>): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
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

const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');
