/**
 * The Store port over the ISP's Google Sheet. Reads come from the cached read plus our pending
 * writes (sheetCache.ts); writes are recorded in the durable outbox, shown at once, and sent by
 * the flusher in batches (flusher.ts). A create resolves once its row is safe in the outbox —
 * the customer has their folio even while Google is failing or over quota.
 */
import { normalizePhone } from '../../core/phone.ts';
import type { ColumnAliases, TabRecord } from '../columns.ts';
import type { Customer, Incident, IncidentPatch, NewIncident, NewProspect, Prospect, TabName } from '../records.ts';
import { decodeRows, encodeRecord } from '../rowCodec.ts';
import { FOLIO_PREFIX, highestSequence, PROSPECT_PREFIX } from '../sequentialIds.ts';
import type { ImportResult, IncidentQuery, Store } from '../store.ts';
import type { IdAllocator } from './idAllocator.ts';
import type { Outbox } from './outbox.ts';
import type { SheetCache } from './sheetCache.ts';
import type { OutboxEntry } from './sheetView.ts';
import { keyOf, recordFields } from './tabData.ts';

export interface SheetsStoreParts {
  cache: SheetCache;
  outbox: Outbox;
  ids: IdAllocator;
  aliases: ColumnAliases;
  /** Timestamps of new rows. */
  now: () => Date;
  /** Called after each write is in the outbox. */
  written(): void;
  close(): Promise<void>;
}

const compact = <T extends object>(obj: T): T => Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as T;
const normalizedOrRaw = (phone: string): string => normalizePhone(phone) ?? phone.trim();

export function createSheetsStore(p: SheetsStoreParts): Store {
  const { cache } = p;

  async function write(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const stored = await p.outbox.add(entries, p.now().getTime());
    cache.addOverlay(stored);
    p.written();
  }

  /** Upserts: for a row we already have, only the fields that differ are written. */
  async function upsert<T extends TabName>(tab: T, records: readonly TabRecord[T][]): Promise<void> {
    const view = await cache.view(tab);
    const entries: OutboxEntry[] = [];
    for (const record of records) {
      const key = keyOf(tab, record);
      const fields = recordFields(tab, record);
      const existing = view.byKey.get(key);
      if (!existing) {
        entries.push({ tab, key, op: 'upsert', fields });
        continue;
      }
      const before = recordFields(tab, existing);
      const changed = Object.keys(fields).filter((f) => fields[f] !== before[f]);
      if (changed.length) entries.push({ tab, key, op: 'upsert', fields, changed });
    }
    await write(entries);
  }

  async function nextId(prefix: string, tab: 'Incidentes' | 'Prospectos'): Promise<string> {
    await cache.tabs();
    const known = cache.knownKeys(tab);
    return p.ids.next(prefix, highestSequence(prefix, [...known]), (id) => cache.knownKeys(tab).has(id));
  }

  return {
    kind: 'sheets',

    async listCustomers() {
      return (await cache.view('Clientes')).records.map((c) => ({ ...c }));
    },
    async getCustomer(id) {
      const c = (await cache.view('Clientes')).byKey.get(id.trim());
      return c && { ...c };
    },
    async findCustomerByPhone(phone) {
      const normalized = normalizePhone(phone);
      const c = normalized ? (await cache.customerIndex()).byPhone.get(normalized) : undefined;
      return c && { ...c };
    },
    async findCustomerByTelegramId(telegramId) {
      const c = (await cache.customerIndex()).byTelegram.get(telegramId.trim());
      return c && { ...c };
    },
    async upsertCustomers(customers: Customer[]) {
      await upsert('Clientes', customers.map((c) => ({ ...c, phone: normalizedOrRaw(c.phone) })));
    },

    async listIncidents(query: IncidentQuery = {}) {
      const phone = query.phone === undefined ? undefined : normalizedOrRaw(query.phone);
      const since = query.createdSince === undefined ? undefined : new Date(query.createdSince);
      const sinceIso = since && !Number.isNaN(since.getTime()) ? since.toISOString() : query.createdSince;
      const zone = query.zone?.toLowerCase();
      return (await cache.incidentsNewestFirst())
        .filter(
          (i) =>
            (query.customerId === undefined || i.customerId === query.customerId) &&
            (phone === undefined || i.phone === phone) &&
            (query.type === undefined || i.type === query.type) &&
            (query.status === undefined || (query.status === 'open' ? i.status === 'abierto' || i.status === 'en_proceso' : i.status === query.status)) &&
            (zone === undefined || i.zone?.toLowerCase() === zone) &&
            (sinceIso === undefined || i.createdAt >= sinceIso),
        )
        .map((i) => ({ ...i }));
    },
    async getIncident(folio) {
      const i = (await cache.view('Incidentes')).byKey.get(folio.trim());
      return i && { ...i };
    },
    async createIncident(input: NewIncident) {
      const folio = await nextId(FOLIO_PREFIX, 'Incidentes');
      const now = p.now().toISOString();
      const incident = compact<Incident>({
        ...input,
        phone: input.phone === undefined ? undefined : normalizedOrRaw(input.phone),
        folio,
        createdAt: now,
        updatedAt: now,
        status: input.status ?? 'abierto',
      });
      await write([{ tab: 'Incidentes', key: folio, op: 'create', fields: recordFields('Incidentes', incident) }]);
      return { ...incident };
    },
    async updateIncident(folio, patch: IncidentPatch) {
      const current = (await cache.view('Incidentes')).byKey.get(folio.trim());
      if (!current) return undefined;
      const changes = compact(patch);
      const updated = compact<Incident>({ ...current, ...changes, folio: current.folio, updatedAt: p.now().toISOString() });
      const all = recordFields('Incidentes', updated);
      const changed = [...Object.keys(changes), 'updatedAt'];
      await write([{ tab: 'Incidentes', key: current.folio, op: 'patch', fields: Object.fromEntries(changed.map((f) => [f, all[f] ?? ''])) }]);
      return { ...updated };
    },

    async listProspects() {
      return (await cache.view('Prospectos')).records.map((r) => ({ ...r }));
    },
    async createProspect(input: NewProspect) {
      const id = await nextId(PROSPECT_PREFIX, 'Prospectos');
      const prospect = compact<Prospect>({ ...input, phone: normalizedOrRaw(input.phone), id, createdAt: p.now().toISOString(), status: input.status ?? 'nuevo' });
      await write([{ tab: 'Prospectos', key: id, op: 'create', fields: recordFields('Prospectos', prospect) }]);
      return { ...prospect };
    },

    async exportRows(tab) {
      return (await cache.view(tab)).records.map((r) => encodeRecord(tab, r));
    },
    async importRows(tab, rows): Promise<ImportResult> {
      const decoded = decodeRows(tab, rows, { aliases: p.aliases });
      await upsert(tab, decoded.records);
      return { imported: decoded.records.length, issues: decoded.issues };
    },
    async rowIssues() {
      return cache.issues();
    },

    close: p.close,
  };
}
