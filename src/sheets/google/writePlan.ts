/**
 * Turns pending outbox entries into the requests of one flush, against the tab layout read at
 * write time: rows found by id (never by a remembered row number) get their changed cells
 * rewritten; new ids are appended; an id that already landed (a retried append whose answer was
 * lost) is not appended again. Only columns we map are written — staff's extra columns are never
 * touched. Numbers go as numbers (so the sheet can sum them), everything else as text (RAW).
 */
import type { FieldOf } from '../columns.ts';
import type { TabName } from '../records.ts';
import type { StoredEntry } from './outbox.ts';
import type { CellValue } from './sheetsApi.ts';
import type { FieldText, TabData, Tabs } from './tabData.ts';
import type { WriteOp } from './sheetView.ts';

/** Several entries for one row, folded in write order. */
export interface WriteGroup {
  tab: TabName;
  key: string;
  op: WriteOp;
  fields: FieldText;
  /** undefined = every field in `fields`. */
  changed: Set<string> | undefined;
  ids: number[];
  attempts: number;
  /** Some entry was sent before (its request may have landed even though it failed). */
  maybeSent: boolean;
}

export interface RowUpdate {
  group: WriteGroup;
  tab: TabName;
  title: string;
  row: number;
  /** 0-based column → value. */
  cells: Map<number, CellValue>;
}

export interface AppendBatch {
  tab: TabName;
  title: string;
  rows: CellValue[][];
  groups: WriteGroup[];
}

export interface WritePlan {
  updates: RowUpdate[];
  appends: AppendBatch[];
  /** Nothing to send: already in the sheet, or a change to a row that no longer exists. */
  settled: { group: WriteGroup; note?: string }[];
  /** Cannot be written until the sheet is fixed (missing tab / required columns). */
  blocked: { group: WriteGroup; reason: string }[];
  /** Fields we hold but the sheet has no column for (`Tab.field`). */
  unmapped: Set<string>;
  /** New ids found already in use in the sheet. */
  collisions: string[];
}

const NUMERIC: Record<TabName, ReadonlySet<string>> = {
  Clientes: new Set(['planMbps', 'price', 'balance', 'churnScore']),
  Incidentes: new Set(),
  Prospectos: new Set(['planMbps', 'price']),
};

/** A cell as sent: numbers of numeric fields as numbers, the rest as text ('' clears). */
export function cellValue(tab: TabName, field: string, text: string): CellValue {
  return NUMERIC[tab].has(field) && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

export function groupEntries(entries: readonly StoredEntry[]): WriteGroup[] {
  const groups = new Map<string, WriteGroup>();
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    const id = `${e.tab}\u0000${e.key}`;
    const g = groups.get(id);
    const changed = e.changed ? new Set(e.changed) : undefined;
    if (!g) {
      groups.set(id, { tab: e.tab, key: e.key, op: e.op, fields: { ...e.fields }, changed, ids: [e.id], attempts: e.attempts, maybeSent: e.sentAt !== undefined });
      continue;
    }
    g.ids.push(e.id);
    g.attempts = Math.max(g.attempts, e.attempts);
    g.maybeSent ||= e.sentAt !== undefined;
    if (e.op === 'patch') {
      g.fields = { ...g.fields, ...e.fields };
      if (g.changed && changed) for (const f of Object.keys(e.fields)) g.changed.add(f);
    } else {
      g.op = g.op === 'patch' ? 'upsert' : g.op;
      const before = g.changed;
      g.fields = { ...e.fields };
      g.changed = before && changed ? new Set([...before, ...changed]) : undefined;
    }
  }
  // A patch alone only writes its own fields.
  for (const g of groups.values()) if (g.op === 'patch' && !g.changed) g.changed = new Set(Object.keys(g.fields));
  return [...groups.values()];
}

/** Whether a flush of these groups must read the sheet first (rather than trust the cached layout). */
export const needsFreshRead = (groups: readonly WriteGroup[]): boolean => groups.some((g) => g.op !== 'create' || g.maybeSent);

export function planWrites(tabs: Tabs, groups: readonly WriteGroup[], fresh: boolean): WritePlan {
  const plan: WritePlan = { updates: [], appends: [], settled: [], blocked: [], unmapped: new Set(), collisions: [] };
  const appends = new Map<TabName, AppendBatch>();
  for (const group of groups) {
    const data = tabs[group.tab] as TabData;
    if (!data.exists || data.mapping.missing.length > 0) {
      plan.blocked.push({ group, reason: data.issues[0]?.message ?? `pestaña "${data.title}" sin columnas requeridas` });
      continue;
    }
    const columnOf = data.columnOf as Partial<Record<string, number>>;
    for (const f of Object.keys(group.fields)) if (columnOf[f] === undefined && group.fields[f] !== '') plan.unmapped.add(`${group.tab}.${f}`);
    const row = fresh ? data.keyRows.get(group.key) : undefined;
    if (row !== undefined && group.op === 'create' && group.maybeSent) {
      plan.settled.push({ group, note: 'already in the sheet (an earlier attempt landed)' });
      continue;
    }
    if (row !== undefined && group.op === 'create') {
      // Never sent, yet its id is taken: another instance without the shared counter (no Redis).
      // Appended anyway — nothing is lost; the repeated id shows up among the row issues.
      plan.collisions.push(group.key);
    } else if (row !== undefined) {
      const cells = new Map<number, CellValue>();
      for (const [field, text] of Object.entries(group.fields)) {
        const col = columnOf[field];
        if (col !== undefined && (!group.changed || group.changed.has(field))) cells.set(col, cellValue(group.tab, field, text));
      }
      if (cells.size) plan.updates.push({ group, tab: group.tab, title: data.title, row, cells });
      else plan.settled.push({ group });
      continue;
    }
    if (group.op === 'patch') {
      plan.settled.push({ group, note: fresh ? 'row not found in the sheet: change dropped' : undefined });
      continue;
    }
    let batch = appends.get(group.tab);
    if (!batch) appends.set(group.tab, (batch = { tab: group.tab, title: data.title, rows: [], groups: [] }));
    batch.rows.push(appendRow(group, columnOf));
    batch.groups.push(group);
  }
  plan.appends = [...appends.values()];
  return plan;
}

function appendRow(group: WriteGroup, columnOf: Partial<Record<string, number>>): CellValue[] {
  const width = Math.max(-1, ...Object.values(columnOf).filter((c): c is number => c !== undefined)) + 1;
  const row: CellValue[] = Array.from({ length: width }, () => null);
  for (const [field, text] of Object.entries(group.fields)) {
    const col = columnOf[field as FieldOf<TabName>];
    if (col !== undefined && text !== '') row[col] = cellValue(group.tab, field, text);
  }
  return row;
}
