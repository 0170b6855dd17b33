import type { Env } from '../../config/env.ts';
import type { ComponentStatus } from './componentStatus.ts';
import { checkGemini } from './gemini.ts';
import { checkLocalStore } from './localStore.ts';
import { checkRedis } from './redis.ts';
import { checkSheets } from './sheets.ts';
import { checkTelegram } from './telegram.ts';
import { checkWhatsApp } from './whatsapp.ts';

export type { ComponentStatus } from './componentStatus.ts';

/** Every component checked in parallel, each bounded by a short timeout: status never hangs. */
export async function checkAll(env: Env): Promise<ComponentStatus[]> {
  return Promise.all([checkTelegram(env), checkWhatsApp(env), checkGemini(env), checkSheets(env), checkRedis(env), checkLocalStore(env)]);
}
