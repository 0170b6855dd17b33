import type { Env } from '../../config/env.ts';
import type { ComponentStatus } from './componentStatus.ts';

export async function checkSheets(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Google Sheets', enabledBy: 'GOOGLE_SHEETS_ID + GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON', channel: false };
  if (!env.GOOGLE_SHEETS_ID) return { ...base, configured: false, detail: 'not configured: the local store is used' };
  const creds = env.GOOGLE_APPLICATION_CREDENTIALS ?? (env.GOOGLE_SERVICE_ACCOUNT_JSON ? 'inline JSON' : undefined);
  if (!creds) return { ...base, configured: false, detail: 'GOOGLE_SHEETS_ID set but no service-account credentials' };
  return { ...base, configured: true, detail: 'configured, but this version still uses the local store (the Sheets adapter is not built yet)' };
}
