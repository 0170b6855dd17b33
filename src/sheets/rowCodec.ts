/**
 * Rows of a tab ⇄ records. Reading: header→cell maps (as a sheet or CSV gives them) are mapped
 * to fields with `mapHeaders`, each cell parsed and the row validated with zod; a bad row becomes
 * RowIssues carrying its 1-based sheet row number and is left out — nothing throws. Writing:
 * records become canonical-header→text maps. Adapter-neutral (local store, Google Sheets, CSV).
 */
import { z } from 'zod';
import type { TabName } from './records.ts';
import type { RowIssue } from './store.ts';
import { COLUMNS, mapHeaders, type ColumnAliases, type FieldOf, type HeaderMapping, type TabRecord } from './columns.ts';
import { ROW_SCHEMAS } from './rowSchemas.ts';

export interface DecodeOptions {
  aliases?: ColumnAliases;
  /** Sheet row number of `rows[0]`; 2 when row 1 holds the headers (the default). */
  firstRow?: number;
  /** Offset for timestamps written without a zone; default -06:00. */
  utcOffset?: string;
}

export interface DecodedRows<T extends TabName> {
  records: TabRecord[T][];
  /** Sheet row number of each record, parallel to `records`. */
  rowNumbers: number[];
  issues: RowIssue[];
  mapping: HeaderMapping<T>;
}

export type DecodedRow<T extends TabName> = { ok: true; record: TabRecord[T] } | { ok: false; issues: RowIssue[] };

/** The field that identifies a row of each tab. */
export const KEY_FIELD = { Clientes: 'id', Incidentes: 'folio', Prospectos: 'id' } as const satisfies { [T in TabName]: FieldOf<T> };

/** Headers of a set of rows, in order of first appearance. */
export function headersOfRows(rows: readonly Record<string, string>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const h of Object.keys(row)) seen.add(h);
  return [...seen];
}

// Building a row schema costs far more than using it: one per tab and offset, built on first use.
const schemaCache = new Map<string, ReturnType<(typeof ROW_SCHEMAS)[TabName]>>();
function rowSchema(tab: TabName, utcOffset: string | undefined): ReturnType<(typeof ROW_SCHEMAS)[TabName]> {
  const key = `${tab}|${utcOffset ?? ''}`;
  let schema = schemaCache.get(key);
  if (!schema) schemaCache.set(key, (schema = ROW_SCHEMAS[tab](utcOffset)));
  return schema;
}

const isBlank = (row: Record<string, string>) => Object.values(row).every((v) => String(v ?? '').trim() === '');

/** Decodes one row (header→cell) already known to be non-blank. */
export function decodeRow<T extends TabName>(
  mapping: HeaderMapping<T>,
  row: Record<string, string>,
  rowNumber: number,
  utcOffset?: string,
): DecodedRow<T> {
  const { tab } = mapping;
  const cells: Record<string, string> = {};
  for (const c of COLUMNS[tab] as readonly { field: FieldOf<T> }[]) {
    const header = mapping.headerOf[c.field];
    cells[c.field] = header === undefined ? '' : String(row[header] ?? '');
  }
  const result = rowSchema(tab, utcOffset).safeParse(cells);
  if (!result.success) return { ok: false, issues: result.error.issues.map((i) => toRowIssue(mapping, i, rowNumber)) };
  return { ok: true, record: stripUndefined(result.data as Record<string, unknown>) as unknown as TabRecord[T] };
}

/**
 * Decodes a tab's rows. Missing required columns → a single issue on row 1 and no records.
 * Blank rows are skipped silently; a repeated id/folio is an issue (the first one is kept).
 */
export function decodeRows<T extends TabName>(tab: T, rows: readonly Record<string, string>[], options: DecodeOptions = {}): DecodedRows<T> {
  const mapping = mapHeaders(tab, headersOfRows(rows), options.aliases);
  const out: DecodedRows<T> = { records: [], rowNumbers: [], issues: [], mapping };
  if (mapping.missing.length > 0) {
    out.issues.push({ tab, row: 1, message: `faltan columnas requeridas: ${mapping.missing.join(', ')}` });
    return out;
  }
  const firstRow = options.firstRow ?? 2;
  const keyField = KEY_FIELD[tab] as string as FieldOf<T>;
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (isBlank(row)) return;
    const rowNumber = firstRow + index;
    const decoded = decodeRow(mapping, row, rowNumber, options.utcOffset);
    if (!decoded.ok) {
      out.issues.push(...decoded.issues);
      return;
    }
    const key = String(decoded.record[keyField]);
    const previous = seen.get(key);
    if (previous !== undefined) {
      out.issues.push({ tab, row: rowNumber, message: `${mapping.headerOf[keyField]}: "${key}" repetido (ya está en la fila ${previous})` });
      return;
    }
    seen.set(key, rowNumber);
    out.records.push(decoded.record);
    out.rowNumbers.push(rowNumber);
  });
  return out;
}

/** A record → canonical header → cell text (empty string for absent values). Text is not altered. */
export function encodeRecord<T extends TabName>(tab: T, record: TabRecord[T]): Record<string, string> {
  const row: Record<string, string> = {};
  const values = record as unknown as Record<string, unknown>;
  for (const c of COLUMNS[tab]) {
    const value = values[c.field];
    row[c.header] = value === undefined || value === null ? '' : String(value);
  }
  return row;
}

function toRowIssue<T extends TabName>(mapping: HeaderMapping<T>, issue: z.core.$ZodIssue, row: number): RowIssue {
  const field = issue.path[0];
  const def = COLUMNS[mapping.tab].find((c) => c.field === field);
  const header = def ? (mapping.headerOf[def.field as FieldOf<T>] ?? def.header) : String(field ?? '');
  return { tab: mapping.tab, row, message: header ? `${header}: ${issue.message}` : issue.message };
}

function stripUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
