/**
 * Looking at and preparing the ISP's sheet: which tabs exist and which columns each lacks
 * (for `launcher --mode status`), and `launcher sheets init`, which adds the missing tabs and the
 * missing header cells after the existing ones — never touching a cell that holds anything.
 */
import type { Logger } from 'pino';
import type { Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import { COLUMNS, mapHeaders, type ColumnAliases } from '../columns.ts';
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

/** Creates missing tabs and header cells; a cell that holds anything is never written. */
export async function initSheet(api: SheetsApi, titles: TabTitles, aliases: ColumnAliases): Promise<InitResult> {
  const info = await api.spreadsheet();
  const missingTabs = TAB_NAMES.filter((t) => !info.tabs.some((x) => x.title === titles[t]));
  await api.structural(missingTabs.map((t) => ({ addSheet: { properties: { title: titles[t], gridProperties: { rowCount: 1000, columnCount: Math.max(26, COLUMNS[t].length) } } } })));
  const after = missingTabs.length ? await api.spreadsheet() : info;
  const headerRows = await api.batchGet(TAB_NAMES.map((t) => headerRange(titles[t])));
  const writes: { range: string; values: string[][] }[] = [];
  const grow: { appendDimension: { sheetId: number; dimension: 'COLUMNS'; length: number } }[] = [];
  const added: InitResult['addedHeaders'] = [];
  TAB_NAMES.forEach((t, i) => {
    const headers = (headerRows[i]?.[0] ?? []).map((h) => h.trim());
    const r = tabReport(t, titles[t], true, headers, aliases);
    const lacking = [...r.missingRequired, ...r.missingOptional];
    const order = COLUMNS[t].map((c) => c.header).filter((h) => lacking.includes(h));
    if (order.length === 0) return;
    // After the last cell of row 1 that holds anything.
    let start = headers.length;
    while (start > 0 && headers[start - 1] === '') start--;
    writes.push({ range: rowRange(titles[t], 1, start, start + order.length - 1), values: [order] });
    added.push({ title: titles[t], headers: order });
    const grid = after.tabs.find((x) => x.title === titles[t]);
    if (grid && start + order.length > grid.columnCount) grow.push({ appendDimension: { sheetId: grid.sheetId, dimension: 'COLUMNS', length: start + order.length - grid.columnCount } });
  });
  await api.structural(grow);
  await api.batchUpdate(writes);
  return { createdTabs: missingTabs.map((t) => titles[t]), addedHeaders: added, report: await inspectSheet(api, titles, aliases) };
}
