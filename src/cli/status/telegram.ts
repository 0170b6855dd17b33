import { Api, GrammyError, HttpError } from 'grammy';
import { describeApiError, networkReason } from '../../channels/telegram/apiErrors.ts';
import { apiRootOf } from '../../channels/telegram/createBot.ts';
import { telegramConfigured, type Env } from '../../config/env.ts';
import { TIMEOUT_MS, type ComponentStatus } from './componentStatus.ts';

/** getMe through grammY's client (the channel's client and TELEGRAM_API_ROOT), 2.5 s at most. */
export async function checkTelegram(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Telegram', enabledBy: 'TELEGRAM_BOT_TOKEN', channel: true };
  const token = env.TELEGRAM_BOT_TOKEN;
  if (!telegramConfigured(env) || !token) return { ...base, configured: false, detail: 'not configured' };
  try {
    const api = new Api(token, { apiRoot: apiRootOf(env.TELEGRAM_API_ROOT), timeoutSeconds: TIMEOUT_MS / 1000 });
    const me = await api.getMe();
    return { ...base, configured: true, reachable: true, detail: `bot @${me.username}` };
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: failure(err, token) };
  }
}

function failure(err: unknown, token: string): string {
  if (err instanceof GrammyError) return `HTTP ${err.error_code}: ${err.description}`;
  if (err instanceof HttpError) {
    const reason = networkReason(err);
    return `unreachable (${reason === 'timeout' ? `no answer in ${TIMEOUT_MS / 1000} s` : reason})`;
  }
  return `unreachable (${describeApiError(err, token)})`;
}
