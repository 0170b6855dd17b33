/**
 * The local Store: the three tabs in one SQLite file (better-sqlite3), for running without
 * Google Sheets and for tests (`file: ':memory:'`). Every write is a single transaction that is
 * on disk when the promise resolves (WAL + synchronous=FULL, see schema.ts).
 *
 * Text is stored exactly as given — `=SUMA(A1)` or `+52…` stays text; SQLite never evaluates it.
 * Only the CSV export (data/csv.ts) guards such cells against spreadsheet formula injection.
 */
import type Database from 'better-sqlite3';
import type { IspConfig } from '../../config/schema.ts';
import { normalizePhone } from '../../core/phone.ts';
import type { Customer, Incident, IncidentPatch, NewIncident, NewProspect, Prospect, TabName } from '../records.ts';
import type { ImportResult, IncidentQuery, RowIssue, Store } from '../store.ts';
import type { TabRecord } from '../columns.ts';
import { decodeRows, encodeRecord } from '../rowCodec.ts';
import { FOLIO_PREFIX, PROSPECT_PREFIX, formatSequentialId, highestSequence } from '../sequentialIds.ts';
import { COUNTERS, TABLES, applySchema } from './schema.ts';
import { fromSqlRow, insertSql, toSqlParams, upsertSql, type SqlRow, type SqlValue } from './rowMapping.ts';
import { openSqliteFile } from '../../state/sqliteFile.ts';

export interface LocalStoreOptions {
  /** Path of the SQLite file (created if missing), or ':memory:'. */
  file: string;
  columnAliases?: IspConfig['sheet']['columnAliases'];
  /** Source of timestamps for new incidents/prospects; defaults to the system clock. */
  clock?: () => Date;
}

const ID_FORMATS = {
  folio: { prefix: FOLIO_PREFIX, counter: COUNTERS.folio },
  prospect: { prefix: PROSPECT_PREFIX, counter: COUNTERS.prospect },
} as const;

const compact = <T extends object>(obj: T): T =>
  Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as T;

const normalizedOrRaw = (phone: string): string => normalizePhone(phone) ?? phone.trim();

export function openLocalStore(options: LocalStoreOptions): Store {
  // synchronous=FULL: a resolved write survives `kill -9` and power loss.
  const db = openSqliteFile(options.file, 'FULL');
  applySchema(db);
  const clock = options.clock ?? (() => new Date());
  const aliases = options.columnAliases ?? {};

  const bumpCounter = db.prepare<[string], { value: number }>('UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value');
  const raiseCounter = db.prepare('UPDATE counters SET value = MAX(value, ?) WHERE name = ?');
  const upserts = { Clientes: db.prepare(upsertSql('Clientes')), Incidentes: db.prepare(upsertSql('Incidentes')), Prospectos: db.prepare(upsertSql('Prospectos')) };
  const inserts = { Incidentes: db.prepare(insertSql('Incidentes')), Prospectos: db.prepare(insertSql('Prospectos')) };

  const statements = new Map<string, Database.Statement<SqlValue[], SqlRow & { _rowid: number }>>();
  function select<T extends TabName>(tab: T, where = '', params: SqlValue[] = [], order = 'rowid'): TabRecord[T][] {
    const sql = `SELECT rowid AS _rowid, * FROM ${TABLES[tab].table} ${where} ORDER BY ${order}`;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare<SqlValue[], SqlRow & { _rowid: number }>(sql)));
    const rows = statement.all(...params);
    const out: TabRecord[T][] = [];
    for (const row of rows) {
      const r = fromSqlRow(tab, row, row._rowid + 1);
      if (r.ok) out.push(r.record);
    }
    return out;
  }

  // Whole-tab reads (stats, search, finance) are served from decoded rows kept until the data
  // changes: our own writes bump `ownWrites`; another process's commits bump SQLite's data_version.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const tabCache = new Map<TabName, { version: number; writes: number; records: unknown[] }>();
  let ownWrites = 0;
  function selectAll<T extends TabName>(tab: T): TabRecord[T][] {
    const version = dataVersion.get() ?? 0;
    const hit = tabCache.get(tab);
    const records = hit && hit.version === version && hit.writes === ownWrites ? (hit.records as TabRecord[T][]) : select(tab);
    if (records !== hit?.records) tabCache.set(tab, { version, writes: ownWrites, records });
    return records.map((r) => ({ ...r }));
  }
  const wrote = <R>(result: R): R => {
    ownWrites++;
    return result;
  };

  /** Next unused id of a sequence; call inside a transaction. Skips numbers taken by imported rows. */
  function nextId(kind: keyof typeof ID_FORMATS, tab: 'Incidentes' | 'Prospectos'): string {
    const { prefix, counter } = ID_FORMATS[kind];
    const exists = db.prepare(`SELECT 1 FROM ${TABLES[tab].table} WHERE "${TABLES[tab].key}" = ?`);
    for (;;) {
      const row = bumpCounter.get(counter);
      if (!row) throw new Error(`counter ${counter} missing`);
      const id = formatSequentialId(prefix, row.value);
      if (!exists.get(id)) return id;
    }
  }

  const createIncidentTx = db.transaction((input: NewIncident): Incident => {
    const now = clock().toISOString();
    const incident = compact<Incident>({
      ...input,
      phone: input.phone === undefined ? undefined : normalizedOrRaw(input.phone),
      folio: nextId('folio', 'Incidentes'),
      createdAt: now,
      updatedAt: now,
      status: input.status ?? 'abierto',
    });
    inserts.Incidentes.run(toSqlParams('Incidentes', incident));
    return incident;
  });

  const createProspectTx = db.transaction((input: NewProspect): Prospect => {
    const prospect = compact<Prospect>({
      ...input,
      phone: normalizedOrRaw(input.phone),
      id: nextId('prospect', 'Prospectos'),
      createdAt: clock().toISOString(),
      status: input.status ?? 'nuevo',
    });
    inserts.Prospectos.run(toSqlParams('Prospectos', prospect));
    return prospect;
  });

  const upsertTx = db.transaction(<T extends TabName>(tab: T, records: TabRecord[T][]) => {
    for (const record of records) upserts[tab].run(toSqlParams(tab, record));
    const seq = tab === 'Incidentes' ? ID_FORMATS.folio : tab === 'Prospectos' ? ID_FORMATS.prospect : undefined;
    if (!seq) return;
    const key = TABLES[tab].key as string;
    const ids = records.map((r) => String((r as unknown as Record<string, unknown>)[key]));
    raiseCounter.run(highestSequence(seq.prefix, ids), seq.counter);
  });

  const updateIncidentTx = db.transaction((folio: string, patch: IncidentPatch): Incident | undefined => {
    const current = select('Incidentes', 'WHERE folio = ?', [folio])[0];
    if (!current) return undefined;
    const updated = compact<Incident>({ ...current, ...compact(patch), folio, updatedAt: clock().toISOString() });
    upserts.Incidentes.run(toSqlParams('Incidentes', updated));
    return updated;
  });

  function incidentFilter(query: IncidentQuery): { where: string; params: SqlValue[] } {
    const parts: string[] = [];
    const params: SqlValue[] = [];
    const add = (sql: string, ...values: SqlValue[]) => {
      parts.push(sql);
      params.push(...values);
    };
    if (query.customerId !== undefined) add('customerId = ?', query.customerId);
    if (query.phone !== undefined) add('phone = ?', normalizedOrRaw(query.phone));
    if (query.type !== undefined) add('type = ?', query.type);
    if (query.status === 'open') add("status IN ('abierto', 'en_proceso')");
    else if (query.status !== undefined) add('status = ?', query.status);
    if (query.zone !== undefined) add('zone = ? COLLATE NOCASE', query.zone);
    if (query.createdSince !== undefined) {
      const since = new Date(query.createdSince);
      add('createdAt >= ?', Number.isNaN(since.getTime()) ? query.createdSince : since.toISOString());
    }
    return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  return {
    kind: 'local',

    async listCustomers() {
      return selectAll('Clientes');
    },
    async getCustomer(id) {
      return select('Clientes', 'WHERE id = ?', [id])[0];
    },
    async findCustomerByPhone(phone) {
      const normalized = normalizePhone(phone);
      return normalized ? select('Clientes', 'WHERE phone = ?', [normalized])[0] : undefined;
    },
    async findCustomerByTelegramId(telegramId) {
      return select('Clientes', 'WHERE telegramId = ?', [telegramId.trim()])[0];
    },
    async upsertCustomers(customers: Customer[]) {
      wrote(upsertTx('Clientes', customers.map((c) => ({ ...c, phone: normalizedOrRaw(c.phone) }))));
    },

    async listIncidents(query = {}) {
      const { where, params } = incidentFilter(query);
      return select('Incidentes', where, params, 'createdAt DESC, rowid DESC');
    },
    async getIncident(folio) {
      return select('Incidentes', 'WHERE folio = ?', [folio])[0];
    },
    async createIncident(input) {
      return wrote(createIncidentTx.immediate(input));
    },
    async updateIncident(folio, patch) {
      return wrote(updateIncidentTx.immediate(folio, patch));
    },

    async listProspects() {
      return selectAll('Prospectos');
    },
    async createProspect(input) {
      return wrote(createProspectTx.immediate(input));
    },

    async exportRows(tab) {
      return selectAll(tab).map((record) => encodeRecord(tab, record));
    },
    async importRows(tab, rows): Promise<ImportResult> {
      const decoded = decodeRows(tab, rows, { aliases });
      wrote(upsertTx.immediate(tab, decoded.records));
      return { imported: decoded.records.length, issues: decoded.issues };
    },
    async rowIssues() {
      const issues: RowIssue[] = [];
      for (const tab of Object.keys(TABLES) as TabName[]) {
        const rows = db.prepare<[], SqlRow & { _rowid: number }>(`SELECT rowid AS _rowid, * FROM ${TABLES[tab].table} ORDER BY rowid`).all();
        for (const row of rows) {
          const r = fromSqlRow(tab, row, row._rowid + 1);
          if (!r.ok) issues.push(r.issue);
        }
      }
      return issues;
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
