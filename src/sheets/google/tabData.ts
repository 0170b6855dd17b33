/**
 * One tab of the sheet as read: its header row mapped to fields (aliases, accents and case
 * ignored), the valid records with their cells' text, where each id sits, and the problems found.
 * Each row is decoded by the shared rowCodec (decodeRow), so bad rows become RowIssues with their
 * row numbers; blank rows are skipped and a repeated id is an issue, as in decodeRows.
 */
import { COLUMNS, mapHeaders, tabHeaders, type ColumnAliases, type FieldOf, type HeaderMapping, type TabRecord } from '../columns.ts';
import type { TabName } from '../records.ts';
import { decodeRow, encodeRecord, KEY_FIELD, type DecodedRow } from '../rowCodec.ts';
import type { RowIssue } from '../store.ts';

/** Field name → cell text, as encodeRecord writes it. */
export type FieldText = Record<string, string>;

export interface SheetEntry<T extends TabName> {
  key: string;
  rowNumber: number;
  record: TabRecord[T];
  fields: FieldText;
}

export interface TabData<T extends TabName = TabName> {
  tab: T;
  title: string;
  exists: boolean;
  headers: string[];
  mapping: HeaderMapping<T>;
  /** 0-based column of each field the sheet has a header for. */
  columnOf: Partial<Record<FieldOf<T>, number>>;
  /** Every row as read; index 0 is the header row (sheet row 1). */
  rows: string[][];
  /** Valid records in sheet order. */
  entries: SheetEntry<T>[];
  /** Id/folio text → the first sheet row holding it, valid row or not. */
  keyRows: Map<string, number>;
  issues: RowIssue[];
}

export type Tabs = { [T in TabName]: TabData<T> };

export function keyOf<T extends TabName>(tab: T, record: TabRecord[T]): string {
  return String((record as unknown as Record<string, unknown>)[KEY_FIELD[tab]]);
}

/** A record's cells as text, keyed by field. */
export function recordFields<T extends TabName>(tab: T, record: TabRecord[T]): FieldText {
  const byHeader = encodeRecord(tab, record);
  const out: FieldText = {};
  for (const c of COLUMNS[tab]) out[c.field] = byHeader[c.header] ?? '';
  return out;
}

const CANONICAL: { [T in TabName]: HeaderMapping<T> } = {
  Clientes: mapHeaders('Clientes', tabHeaders('Clientes')),
  Incidentes: mapHeaders('Incidentes', tabHeaders('Incidentes')),
  Prospectos: mapHeaders('Prospectos', tabHeaders('Prospectos')),
};

/** Field text → record, with the same parsing as a sheet row. */
export function decodeFields<T extends TabName>(tab: T, fields: FieldText, rowNumber: number, memo?: DecodeMemo): DecodedRow<T> {
  const row: Record<string, string> = {};
  for (const c of COLUMNS[tab]) row[c.header] = fields[c.field] ?? '';
  const key = `${tab}\u0003${COLUMNS[tab].map((c) => row[c.header]).join('\u0001')}`;
  return memoized(memo, key, rowNumber, () => withExtraFields(tab, decodeRow(CANONICAL[tab] as HeaderMapping<T>, row, rowNumber), fields));
}

/**
 * Fields the shared row schemas (rowSchemas.ts) do not decode yet, read here so the Google store
 * returns what it writes: Clientes.churnScore (`Riesgo`, a number 0–1; anything else is left out).
 */
function withExtraFields<T extends TabName>(tab: T, decoded: DecodedRow<T>, fields: FieldText): DecodedRow<T> {
  if (!decoded.ok || tab !== 'Clientes') return decoded;
  const text = (fields.churnScore ?? '').trim().replace(',', '.');
  const score = text === '' ? NaN : Number(text);
  return Number.isFinite(score) && score >= 0 && score <= 1 ? { ok: true, record: { ...decoded.record, churnScore: score } } : decoded;
}

/** Decoded rows by content, kept by the cache between reads (parsing a row is the costly part of a read). */
export type DecodeMemo = Map<string, DecodedRow<TabName>>;

const MEMO_LIMIT = 50_000;

function memoized<T extends TabName>(memo: DecodeMemo | undefined, key: string, rowNumber: number, decode: () => DecodedRow<T>): DecodedRow<T> {
  const hit = memo?.get(key) as DecodedRow<T> | undefined;
  if (hit) return hit.ok ? hit : { ok: false, issues: hit.issues.map((i) => ({ ...i, row: rowNumber })) };
  const result = decode();
  if (memo) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, result as DecodedRow<TabName>);
  }
  return result;
}

export function decodeTab<T extends TabName>(tab: T, title: string, values: string[][] | undefined, aliases: ColumnAliases, memo?: DecodeMemo): TabData<T> {
  const rows = values ?? [];
  const headers = (rows[0] ?? []).map((h) => h.trim());
  const mapping = mapHeaders(tab, headers, aliases);
  const columnOf: Partial<Record<FieldOf<T>, number>> = {};
  for (const [field, header] of Object.entries(mapping.headerOf) as [FieldOf<T>, string][]) columnOf[field] = headers.indexOf(header);
  const data: TabData<T> = { tab, title, exists: values !== undefined, headers, mapping, columnOf, rows, entries: [], keyRows: new Map(), issues: [] };

  if (values === undefined) {
    data.issues.push({ tab, row: 1, message: `falta la pestaña "${title}" (\`launcher sheets init\` la crea)` });
    return data;
  }
  const keyCol = columnOf[KEY_FIELD[tab] as string as FieldOf<T>];
  if (keyCol !== undefined) {
    rows.forEach((row, i) => {
      const key = (row[keyCol] ?? '').trim();
      if (i > 0 && key !== '' && !data.keyRows.has(key)) data.keyRows.set(key, i + 1);
    });
  }
  if (mapping.missing.length > 0) {
    data.issues.push({ tab, row: 1, message: `faltan columnas requeridas: ${mapping.missing.join(', ')}` });
    return data;
  }

  if (rows.length <= 1) return data;
  // Row by row with decodeRow (rather than decodeRows) so that rows unchanged since the last
  // read are not parsed again: the memo maps a row's cells to its decoded result.
  const keyField = KEY_FIELD[tab] as string as FieldOf<T>;
  const fieldCols = (Object.entries(columnOf) as [string, number][]).sort((a, b) => a[1] - b[1]);
  const mappingSig = fieldCols.map(([f]) => `${f}=${(mapping.headerOf as Record<string, string>)[f]}`).join('\u0001');
  const seen = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const raw = rows[i]!;
    if (raw.every((c) => c.trim() === '')) continue;
    const rowNumber = i + 1;
    const fields: FieldText = {};
    const byHeader: Record<string, string> = {};
    for (const [field, col] of fieldCols) {
      fields[field] = raw[col] ?? '';
      byHeader[(mapping.headerOf as Record<string, string>)[field]!] = fields[field]!;
    }
    const decoded = memoized(memo, `${tab}\u0002${mappingSig}\u0002${fieldCols.map(([f]) => fields[f]).join('\u0001')}`, rowNumber, () =>
      withExtraFields(tab, decodeRow(mapping, byHeader, rowNumber), fields),
    );
    if (!decoded.ok) {
      data.issues.push(...decoded.issues);
      continue;
    }
    const key = keyOf(tab, decoded.record);
    const previous = seen.get(key);
    if (previous !== undefined) {
      data.issues.push({ tab, row: rowNumber, message: `${mapping.headerOf[keyField]}: "${key}" repetido (ya está en la fila ${previous})` });
      continue;
    }
    seen.set(key, rowNumber);
    data.entries.push({ key, rowNumber, record: decoded.record, fields });
  }
  return data;
}
