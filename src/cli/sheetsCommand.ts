/**
 * `launcher sheets init` — prepares the ISP's Google Sheet: missing tabs and header cells are
 * added, nothing that holds data is touched. `launcher sheets push|pull` — copies the tabs from
 * the local store (DATA_DIR/isp.db) to the sheet or back, in one command (header aliases applied,
 * rows matched by id, bad rows listed with their row numbers).
 */
import { join } from 'node:path';
import { openSheetsStore, SheetsConfigError } from '../sheets/google/index.ts';
import { initSheet, sheetsApiFromEnv, tabTitles } from '../sheets/google/sheetSetup.ts';
import { openLocalStore } from '../sheets/local/localStore.ts';
import { TAB_NAMES, type TabName } from '../sheets/records.ts';
import type { Store } from '../sheets/store.ts';
import { createRedisKeyValue } from '../state/redisKeyValue.ts';
import { openSqliteKeyValue } from '../state/sqliteKeyValue.ts';
import { CliError, type Runtime } from './boot.ts';

function requireSheet(runtime: Runtime): void {
  const { env } = runtime;
  if (!env.GOOGLE_SHEETS_ID) throw new CliError('GOOGLE_SHEETS_ID is not set: put the id of the ISP\'s spreadsheet (from its URL) in the environment or .env');
  if (!env.GOOGLE_APPLICATION_CREDENTIALS && !env.GOOGLE_SERVICE_ACCOUNT_JSON) {
    throw new CliError('no credentials: set GOOGLE_APPLICATION_CREDENTIALS (path to the service-account key) or GOOGLE_SERVICE_ACCOUNT_JSON, and share the sheet with that account');
  }
}

const asCliError = (err: unknown): CliError =>
  err instanceof CliError ? err : new CliError(err instanceof SheetsConfigError ? err.message : `Google Sheets: ${(err as Error).message}`, 1);

export async function runSheetsInit(runtime: Runtime, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  requireSheet(runtime);
  try {
    const api = sheetsApiFromEnv(runtime.env, runtime.logger, { timeoutMs: 20_000, maxAttempts: 3 });
    const result = await initSheet(api, tabTitles(runtime.config), runtime.config.sheet.columnAliases, runtime.config.outreach.notifications.sheetTab);
    out.write(`spreadsheet "${result.report.title}"\n`);
    for (const title of result.createdTabs) out.write(`  created tab ${title}\n`);
    for (const a of result.addedHeaders) out.write(`  ${a.title}: added headers ${a.headers.join(', ')}\n`);
    if (result.createdTabs.length === 0 && result.addedHeaders.length === 0) out.write('  nothing to do: every tab and column is there\n');
    for (const t of result.report.tabs) out.write(`  ${t.title}: ${t.headers.filter(Boolean).length} columns\n`);
  } catch (err) {
    throw asCliError(err);
  }
}

/** Copies tabs local → sheet (`push`) or sheet → local (`pull`); exit 3 when rows were skipped, 1 when writes wait in the outbox. */
export async function runSheetsCopy(runtime: Runtime, direction: 'push' | 'pull', tabs: readonly TabName[] = TAB_NAMES, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  requireSheet(runtime);
  const { env, config, logger } = runtime;
  const kv = env.REDIS_URL ? createRedisKeyValue(env.REDIS_URL) : openSqliteKeyValue(join(env.DATA_DIR, 'state.db'));
  const local = openLocalStore({ file: join(env.DATA_DIR, 'isp.db'), columnAliases: config.sheet.columnAliases });
  let sheet: ReturnType<typeof openSheetsStore> | undefined;
  try {
    sheet = openSheetsStore({ env, config, logger, kv, dataDir: env.DATA_DIR });
    const [from, to]: [Store, Store] = direction === 'push' ? [local, sheet] : [sheet, local];
    let skipped = 0;
    for (const tab of tabs) {
      const rows = await from.exportRows(tab);
      const result = await to.importRows(tab, rows);
      skipped += result.issues.length;
      out.write(`${tab}: ${result.imported} rows ${direction === 'push' ? 'to the sheet' : 'to the local store'}\n`);
      for (const issue of result.issues) out.write(`  row ${issue.row}: ${issue.message}\n`);
    }
    await sheet.flush();
    const backlog = await sheet.backlog();
    if (backlog.pending) {
      out.write(`${backlog.pending} writes wait in the outbox (${backlog.lastError ?? 'not sent yet'}); they are sent at the next start\n`);
      return 1;
    }
    return skipped ? 3 : 0;
  } catch (err) {
    throw asCliError(err);
  } finally {
    await sheet?.close();
    await local.close();
    await kv.close();
  }
}
