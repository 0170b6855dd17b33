/**
 * What the bot sees: the last read of the sheet with our not-yet-confirmed writes laid over it
 * (outbox entries, in order), plus the indexes lookups use — by id/folio, by phone, by Telegram
 * id — so a lookup per message is a Map get, not a scan of the tab.
 */
import type { TabRecord } from '../columns.ts';
import type { Customer, Incident, TabName } from '../records.ts';
import { decodeFields, type DecodeMemo, type FieldText, type TabData } from './tabData.ts';

export type WriteOp = 'create' | 'upsert' | 'patch';

/** A write as the outbox keeps it: by tab and id, fields as text. */
export interface OutboxEntry {
  tab: TabName;
  key: string;
  /** create: new id, append (skip if it already landed); upsert: update the row or append; patch: update the row if it exists. */
  op: WriteOp;
  fields: FieldText;
  /** Fields to write when the row exists (default: all in `fields`); other cells are left as staff left them. */
  changed?: string[];
}

export interface OverlayEntry extends OutboxEntry {
  id: number;
}

export interface TabView<T extends TabName> {
  /** Sheet order, then rows only we know of yet, in write order. */
  records: TabRecord[T][];
  byKey: Map<string, TabRecord[T]>;
}

export function buildTabView<T extends TabName>(data: TabData<T>, overlay: readonly OverlayEntry[], memo?: DecodeMemo): TabView<T> {
  const fields = new Map<string, FieldText>();
  const records = new Map<string, TabRecord[T]>();
  const order: string[] = [];
  for (const e of data.entries) {
    fields.set(e.key, e.fields);
    records.set(e.key, e.record);
    order.push(e.key);
  }
  const touched = new Set<string>();
  for (const e of overlay) {
    if (e.tab !== data.tab) continue;
    const base = fields.get(e.key);
    if (e.op === 'patch') {
      if (!base) continue;
      fields.set(e.key, { ...base, ...e.fields });
    } else {
      if (!base) order.push(e.key);
      fields.set(e.key, { ...e.fields });
    }
    touched.add(e.key);
  }
  for (const key of touched) {
    const decoded = decodeFields(data.tab, fields.get(key)!, 0, memo);
    if (decoded.ok) records.set(key, decoded.record);
  }
  return { records: order.flatMap((k) => (records.has(k) ? [records.get(k)!] : [])), byKey: records };
}

export interface CustomerIndex {
  byPhone: Map<string, Customer>;
  byTelegram: Map<string, Customer>;
}

export function indexCustomers(customers: readonly Customer[]): CustomerIndex {
  const byPhone = new Map<string, Customer>();
  const byTelegram = new Map<string, Customer>();
  for (const c of customers) {
    if (!byPhone.has(c.phone)) byPhone.set(c.phone, c);
    const tg = c.telegramId?.trim();
    if (tg && !byTelegram.has(tg)) byTelegram.set(tg, c);
  }
  return { byPhone, byTelegram };
}

/** Newest first; equal timestamps in reverse sheet/write order. */
export function newestFirst(incidents: readonly Incident[]): Incident[] {
  return incidents
    .map((incident, i) => ({ incident, i }))
    .sort((a, b) => (a.incident.createdAt < b.incident.createdAt ? 1 : a.incident.createdAt > b.incident.createdAt ? -1 : b.i - a.i))
    .map((x) => x.incident);
}
