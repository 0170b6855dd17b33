/**
 * Looking at and preparing the ISP's sheet: which tabs exist and which columns each lacks
 * (for `launcher --mode status`), and `launcher sheets init`, which adds the missing tabs and the
 * missing header cells after the existing ones — never touching a cell that holds anything.
 */
import type { Logger } from 'pino';
import type { Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import { COLUMNS, mapHeaders, mapNotificationHeaders, NOTIFICATION_COLUMNS, type ColumnAliases } from '../columns.ts';
import { TAB_NAMES, type TabName } from '../records.ts';
import { headerRange, rowRange } from './a1.ts';
import { createJwtClient, loadServiceAccount, SheetsConfigError } from './credentials.ts';
import { createQuotaLimiter } from './quotaLimiter.ts';
import { createSheetsApi, type SheetsApi } from './sheetsApi.ts';

export type TabTitles = Record<TabName, string>;

export const tabTitles = (config: IspConfig): TabTitles => ({
  Clientes: config.sheet.tabs.customers,
  Incidentes: config.sheet.tabs.incidents,
  Prospectos: config.sheet.tabs.prospects,
});

/** A client for one-off commands (status, init): its own small limiter, few attempts. */
export function sheetsApiFromEnv(env: Env, logger: Logger, options: { timeoutMs: number; maxAttempts: number; signal?: AbortSignal }): SheetsApi {
  if (!env.GOOGLE_SHEETS_ID) throw new SheetsConfigError('GOOGLE_SHEETS_ID is not set');
  const account = loadServiceAccount(env);
  return createSheetsApi({
    spreadsheetId: env.GOOGLE_SHEETS_ID,
    jwt: createJwtClient(account),
    ...(env.SHEETS_API_ROOT ? { rootUrl: env.SHEETS_API_ROOT } : {}),
    timeoutMs: options.timeoutMs,
    limiter: createQuotaLimiter({ readsPerMinute: 30, writesPerMinute: 30, user: account.client_email }),
    retry: { maxAttempts: options.maxAttempts, baseDelayMs: 1000, maxDelayMs: 10_000 },
    logger,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export interface TabReport {
  tab: TabName;
  title: string;
  exists: boolean;
  headers: string[];
  missingRequired: string[];
  missingOptional: string[];
}

export interface SheetReport {
  title: string;
  tabs: TabReport[];
}

function tabReport(tab: TabName, title: string, exists: boolean, headers: string[], aliases: ColumnAliases): TabReport {
  const mapping = mapHeaders(tab, headers, aliases);
  const lacking = COLUMNS[tab].filter((c) => (mapping.headerOf as Record<string, string | undefined>)[c.field] === undefined);
  return {
    tab,
    title,
    exists,
    headers,
    missingRequired: lacking.filter((c) => c.required).map((c) => c.header),
    missingOptional: lacking.filter((c) => !c.required).map((c) => c.header),
  };
}

/** Two requests: the spreadsheet's tabs, then the header row of each of ours. */
export async function inspectSheet(api: SheetsApi, titles: TabTitles, aliases: ColumnAliases): Promise<SheetReport> {
  const info = await api.spreadsheet();
  const present = TAB_NAMES.filter((t) => info.tabs.some((x) => x.title === titles[t]));
  const rows = present.length ? await api.batchGet(present.map((t) => headerRange(titles[t]))) : [];
  return {
    title: info.title,
    tabs: TAB_NAMES.map((t) => {
      const i = present.indexOf(t);
      const headers = i >= 0 ? (rows[i]?.[0] ?? []).map((h) => h.trim()) : [];
      return tabReport(t, titles[t], i >= 0, headers, aliases);
    }),
  };
}

export interface InitResult {
  createdTabs: string[];
  /** Header cells written, per tab title. */
  addedHeaders: { title: string; headers: string[] }[];
  report: SheetReport;
}

/** The outreach notification log's tab title (`outreach.notifications.sheetTab`). */
export const notificationTabTitle = (config: IspConfig): string => config.outreach.notifications.sheetTab;
export const DEFAULT_NOTIFICATION_TAB = 'Notificaciones';

/** Header cells to write after the last cell of row 1 that holds anything; undefined when none lack. */
function headerWrite(title: string, headers: string[], lacking: string[]): { range: string; values: string[][]; end: number } | undefined {
  if (lacking.length === 0) return undefined;
  let start = headers.length;
  while (start > 0 && headers[start - 1] === '') start--;
  return { range: rowRange(title, 1, start, start + lacking.length - 1), values: [lacking], end: start + lacking.length };
}

const notificationLacking = (headers: string[]): string[] => {
  const mapped = mapNotificationHeaders(headers);
  return NOTIFICATION_COLUMNS.filter((c) => mapped[c.field] === undefined).map((c) => c.header);
};

/**
 * The notification log's tab alone (the outreach writer prepares it on first use): created when
 * missing, with the headers it lacks added after the existing ones.
 */
export async function ensureNotificationTab(api: SheetsApi, title: string): Promise<{ created: boolean; addedHeaders: string[] }> {
  const info = await api.spreadsheet();
  const created = !info.tabs.some((t) => t.title === title);
  if (created) await api.structural([{ addSheet: { properties: { title, gridProperties: { rowCount: 1000, columnCount: 26 } } } }]);
  const [header] = await api.batchGet([headerRange(title)]);
  const headers = (header?.[0] ?? []).map((h) => h.trim());
  const lacking = notificationLacking(headers);
  const write = headerWrite(title, headers, lacking);
  if (write) await api.batchUpdate([{ range: write.range, values: write.values }]);
  return { created, addedHeaders: lacking };
}

/**
 * Creates missing tabs and header cells; a cell that holds anything is never written. The
 * notification log's tab (`notificationTab`, default Notificaciones; null = leave it) is prepared
 * in the same requests.
 */
export async function initSheet(api: SheetsApi, titles: TabTitles, aliases: ColumnAliases, notificationTab: string | null = DEFAULT_NOTIFICATION_TAB): Promise<InitResult> {
  const info = await api.spreadsheet();
  const missingTabs = TAB_NAMES.filter((t) => !info.tabs.some((x) => x.title === titles[t])).map((t) => ({ title: titles[t], columns: Math.max(26, COLUMNS[t].length) }));
  if (notificationTab !== null && !info.tabs.some((x) => x.title === notificationTab)) missingTabs.push({ title: notificationTab, columns: 26 });
  await api.structural(missingTabs.map((t) => ({ addSheet: { properties: { title: t.title, gridProperties: { rowCount: 1000, columnCount: t.columns } } } })));
  const after = missingTabs.length ? await api.spreadsheet() : info;
  const headerRows = await api.batchGet([...TAB_NAMES.map((t) => headerRange(titles[t])), ...(notificationTab !== null ? [headerRange(notificationTab)] : [])]);
  const writes: { range: string; values: string[][] }[] = [];
  const grow: { appendDimension: { sheetId: number; dimension: 'COLUMNS'; length: number } }[] = [];
  const added: InitResult['addedHeaders'] = [];
  const plan = (title: string, headers: string[], lacking: string[]) => {
    const write = headerWrite(title, headers, lacking);
    if (!write) return;
    writes.push({ range: write.range, values: write.values });
    added.push({ title, headers: lacking });
    const grid = after.tabs.find((x) => x.title === title);
    if (grid && write.end > grid.columnCount) grow.push({ appendDimension: { sheetId: grid.sheetId, dimension: 'COLUMNS', length: write.end - grid.columnCount } });
  };
  TAB_NAMES.forEach((t, i) => {
    const headers = (headerRows[i]?.[0] ?? []).map((h) => h.trim());
    const r = tabReport(t, titles[t], true, headers, aliases);
    const lacking = [...r.missingRequired, ...r.missingOptional];
    plan(titles[t], headers, COLUMNS[t].map((c) => c.header).filter((h) => lacking.includes(h)));
  });
  if (notificationTab !== null) {
    const headers = (headerRows[TAB_NAMES.length]?.[0] ?? []).map((h) => h.trim());
    // A tab created just now gets its headers, reported as a created tab only.
    plan(notificationTab, headers, notificationLacking(headers));
    if (missingTabs.some((t) => t.title === notificationTab)) added.pop();
  }
  await api.structural(grow);
  await api.batchUpdate(writes);
  return { createdTabs: missingTabs.map((t) => t.title), addedHeaders: added, report: await inspectSheet(api, titles, aliases) };
}
