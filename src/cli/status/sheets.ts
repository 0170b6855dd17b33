import { resolve } from 'node:path';
import pino from 'pino';
import type { Env } from '../../config/env.ts';
import { loadConfig } from '../../config/loadConfig.ts';
import { readBacklog } from '../../sheets/google/backlog.ts';
import { inspectSheet, sheetsApiFromEnv, tabTitles, type SheetReport } from '../../sheets/google/sheetSetup.ts';
import { TIMEOUT_MS, type ComponentStatus } from './componentStatus.ts';

/** Reachable or not, the tabs found, the columns each lacks, and the writes waiting in the outbox. */
export async function checkSheets(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Google Sheets', enabledBy: 'GOOGLE_SHEETS_ID + GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON', channel: false };
  if (!env.GOOGLE_SHEETS_ID) return { ...base, configured: false, detail: 'not configured: the local store is used' };
  if (!env.GOOGLE_APPLICATION_CREDENTIALS && !env.GOOGLE_SERVICE_ACCOUNT_JSON) {
    return { ...base, configured: false, detail: 'GOOGLE_SHEETS_ID set but no service-account credentials' };
  }
  const backlog = readBacklog(env, TIMEOUT_MS).then(formatBacklog, (err: Error) => `outbox unreadable (${err.message})`);
  const started = performance.now();
  try {
    const config = loadConfig(resolve(env.CONFIG_FILE));
    const api = sheetsApiFromEnv(env, pino({ level: 'silent' }), { timeoutMs: TIMEOUT_MS, maxAttempts: 1 });
    const report = await inspectSheet(api, tabTitles(config), config.sheet.columnAliases);
    const ms = Math.round(performance.now() - started);
    return { ...base, configured: true, reachable: true, detail: `"${report.title}" (${ms} ms): ${formatTabs(report)}; ${await backlog}` };
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: `${(err as Error).message}; ${await backlog}` };
  }
}

function formatTabs(report: SheetReport): string {
  const parts = report.tabs.map((t) => {
    if (!t.exists) return `${t.title} MISSING`;
    if (t.missingRequired.length) return `${t.title} lacks ${t.missingRequired.join(', ')} (required)`;
    if (t.missingOptional.length) return `${t.title} ok (no ${t.missingOptional.join(', ')})`;
    return `${t.title} ok`;
  });
  const fix = report.tabs.some((t) => !t.exists || t.missingRequired.length || t.missingOptional.length) ? ' — `launcher sheets init` adds what is missing' : '';
  return `tabs ${parts.join(', ')}${fix}`;
}

function formatBacklog(b: { pending: number; oldest?: number; lastError?: string }): string {
  if (b.pending === 0) return 'outbox empty';
  const minutes = b.oldest === undefined ? 0 : Math.max(0, Math.round((Date.now() - b.oldest) / 60_000));
  return `outbox ${b.pending} writes pending, oldest ${minutes} min${b.lastError ? ` (last error: ${b.lastError.slice(0, 120)})` : ''}`;
}
