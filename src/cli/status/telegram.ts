import { telegramConfigured, type Env } from '../../config/env.ts';
import { getJson, type ComponentStatus } from './componentStatus.ts';

export async function checkTelegram(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Telegram', enabledBy: 'TELEGRAM_BOT_TOKEN', channel: true };
  if (!telegramConfigured(env)) return { ...base, configured: false, detail: 'not configured' };
  const root = env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
  const res = await getJson(`${root}/bot${env.TELEGRAM_BOT_TOKEN}/getMe`, {});
  if (!res.ok) return { ...base, configured: true, reachable: false, detail: res.error };
  const username = (res.body as { result?: { username?: string } }).result?.username;
  return { ...base, configured: true, reachable: true, detail: `bot @${username ?? '?'}` };
}
