/**
 * Records ⇄ SQLite rows of the local store. Writes bind every column (NULL for absent fields);
 * reads drop NULLs and check enum columns, so a row edited by hand into something invalid is
 * reported as a RowIssue instead of reaching the bot with a status it does not know.
 */
import type { TabName } from '../records.ts';
import type { RowIssue } from '../store.ts';
import type { FieldOf, TabRecord } from '../columns.ts';
import {
  CUSTOMER_STATUSES,
  FALLA_CATEGORIES,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  PRIORITIES,
  PROSPECT_STATUSES,
} from '../rowSchemas.ts';
import { TABLES, columnNames } from './schema.ts';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

const ENUM_COLUMNS: { [T in TabName]: Partial<Record<FieldOf<T>, readonly string[]>> } = {
  Clientes: { status: CUSTOMER_STATUSES },
  Incidentes: { type: INCIDENT_TYPES, status: INCIDENT_STATUSES, priority: PRIORITIES, category: FALLA_CATEGORIES },
  Prospectos: { status: PROSPECT_STATUSES },
};

/** Named parameters for an INSERT of every column. */
export function toSqlParams<T extends TabName>(tab: T, record: TabRecord[T]): SqlRow {
  const values = record as unknown as Record<string, unknown>;
  const out: SqlRow = {};
  for (const name of columnNames(tab)) {
    const v = values[name];
    out[name] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
  }
  return out;
}

export type FromSql<T extends TabName> = { ok: true; record: TabRecord[T] } | { ok: false; issue: RowIssue };

/** A row read back; `rowNumber` is what a sheet would show (rowid + 1, the header being row 1). */
export function fromSqlRow<T extends TabName>(tab: T, row: SqlRow, rowNumber: number): FromSql<T> {
  const def = TABLES[tab];
  const record: Record<string, string | number> = {};
  const problems: string[] = [];
  for (const name of columnNames(tab)) {
    const v = row[name];
    if (v === null || v === undefined) {
      if (def.columns[name].notNull) problems.push(`${name}: vacío`);
      continue;
    }
    const allowed = ENUM_COLUMNS[tab][name];
    if (allowed && !allowed.includes(String(v))) problems.push(`${name}: valor no reconocido "${v}"`);
    record[name] = v;
  }
  if (problems.length > 0) return { ok: false, issue: { tab, row: rowNumber, message: problems.join('; ') } };
  return { ok: true, record: record as unknown as TabRecord[T] };
}

/** `INSERT … ON CONFLICT(key) DO UPDATE` of every column (keeps the row's position, unlike REPLACE). */
export function upsertSql(tab: TabName): string {
  const def = TABLES[tab];
  const cols = columnNames(tab);
  const quoted = cols.map((c) => `"${c}"`).join(', ');
  const params = cols.map((c) => `@${c}`).join(', ');
  const updates = cols.filter((c) => c !== def.key).map((c) => `"${c}" = excluded."${c}"`);
  return `INSERT INTO ${def.table} (${quoted}) VALUES (${params}) ON CONFLICT("${def.key}") DO UPDATE SET ${updates.join(', ')}`;
}

export function insertSql(tab: TabName): string {
  const cols = columnNames(tab);
  return `INSERT INTO ${TABLES[tab].table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`;
}
