/**
 * Exporting a tab to CSV/JSON and importing a CSV into a tab, through the Store port (so it works
 * on the local store and on Google Sheets alike). CSV cells are guarded against formula injection
 * (see csvCells.ts); JSON is exported as is.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { TabName } from '../sheets/records.ts';
import type { ImportResult, Store } from '../sheets/store.ts';
import { tabHeaders } from '../sheets/columns.ts';
import { guardCell, unguardCell } from './csvCells.ts';

export type ExportFormat = 'csv' | 'json';

/** UTF-8 byte order mark: without it Excel shows `TelÃ©fono` for `Teléfono`. */
const BOM = '\uFEFF';

/** The tab's rows as CSV (BOM, canonical headers, formula-guarded cells) or as a JSON array of header→text objects. */
export async function exportTab(store: Store, tab: TabName, format: ExportFormat): Promise<string> {
  const rows = await store.exportRows(tab);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const headers = tabHeaders(tab);
  const records = rows.map((row) => headers.map((h) => guardCell(row[h] ?? '')));
  return BOM + stringify([headers, ...records]);
}

/**
 * Imports CSV text (first line = headers, any spelling the tab's aliases accept) into a tab.
 * Rows are upserted by id/folio; bad rows come back as issues with their spreadsheet row number
 * (blank lines count as rows, as they do when the file is opened in a spreadsheet).
 */
export async function importTabCsv(store: Store, tab: TabName, csvText: string): Promise<ImportResult> {
  const records: Record<string, string>[] = parse(csvText, {
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: false,
    relax_column_count: true,
    relax_quotes: true,
  });
  const rows = records.map((r) => Object.fromEntries(Object.entries(r).map(([h, v]) => [h, unguardCell(v ?? '')])));
  return store.importRows(tab, rows);
}
