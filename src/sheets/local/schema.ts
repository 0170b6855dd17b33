/**
 * The SQLite layout of the local store: one table per tab with the records' fields as columns
 * (same names), plus `counters` for folios and prospect ids. Created on open; idempotent.
 */
import type Database from 'better-sqlite3';
import type { TabName } from '../records.ts';
import type { FieldOf } from '../columns.ts';

export type SqlType = 'TEXT' | 'INTEGER' | 'REAL';

export interface TableDef<T extends TabName> {
  table: string;
  key: FieldOf<T>;
  /** Every field of the record, in column order, with its SQL type and whether it is NOT NULL. */
  columns: { [F in FieldOf<T>]-?: { type: SqlType; notNull?: boolean } };
}

export const TABLES: { [T in TabName]: TableDef<T> } = {
  Clientes: {
    table: 'customers',
    key: 'id',
    columns: {
      id: { type: 'TEXT', notNull: true },
      name: { type: 'TEXT', notNull: true },
      phone: { type: 'TEXT', notNull: true },
      zone: { type: 'TEXT', notNull: true },
      colonia: { type: 'TEXT' },
      planMbps: { type: 'INTEGER' },
      price: { type: 'REAL' },
      status: { type: 'TEXT', notNull: true },
      signupDate: { type: 'TEXT' },
      dueDate: { type: 'TEXT' },
      balance: { type: 'REAL' },
      telegramId: { type: 'TEXT' },
      notes: { type: 'TEXT' },
      churnScore: { type: 'REAL' },
    },
  },
  Incidentes: {
    table: 'incidents',
    key: 'folio',
    columns: {
      folio: { type: 'TEXT', notNull: true },
      createdAt: { type: 'TEXT', notNull: true },
      updatedAt: { type: 'TEXT', notNull: true },
      type: { type: 'TEXT', notNull: true },
      status: { type: 'TEXT', notNull: true },
      priority: { type: 'TEXT', notNull: true },
      customerId: { type: 'TEXT' },
      name: { type: 'TEXT' },
      phone: { type: 'TEXT' },
      zone: { type: 'TEXT' },
      category: { type: 'TEXT' },
      since: { type: 'TEXT' },
      description: { type: 'TEXT' },
      channel: { type: 'TEXT' },
      notes: { type: 'TEXT' },
    },
  },
  Prospectos: {
    table: 'prospects',
    key: 'id',
    columns: {
      id: { type: 'TEXT', notNull: true },
      createdAt: { type: 'TEXT', notNull: true },
      name: { type: 'TEXT', notNull: true },
      phone: { type: 'TEXT', notNull: true },
      zone: { type: 'TEXT' },
      colonia: { type: 'TEXT' },
      planMbps: { type: 'INTEGER' },
      price: { type: 'REAL' },
      channel: { type: 'TEXT' },
      status: { type: 'TEXT', notNull: true },
      notes: { type: 'TEXT' },
    },
  },
};

export function columnNames<T extends TabName>(tab: T): FieldOf<T>[] {
  return Object.keys(TABLES[tab].columns) as FieldOf<T>[];
}

function createTableSql<T extends TabName>(tab: T): string {
  const def = TABLES[tab];
  const cols = columnNames(tab).map((name) => {
    const c = def.columns[name];
    return `"${name}" ${c.type}${c.notNull ? ' NOT NULL' : ''}${name === def.key ? ' PRIMARY KEY' : ''}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${def.table} (\n  ${cols.join(',\n  ')}\n)`;
}

/** Counter names: the last number handed out for each kind of id. */
export const COUNTERS = { folio: 'incident_folio', prospect: 'prospect_id' } as const;

export function applySchema(db: Database.Database): void {
  db.pragma('foreign_keys = ON');
  db.exec(`
    ${createTableSql('Clientes')};
    CREATE INDEX IF NOT EXISTS customers_phone ON customers (phone);
    CREATE INDEX IF NOT EXISTS customers_telegram ON customers (telegramId);
    ${createTableSql('Incidentes')};
    CREATE INDEX IF NOT EXISTS incidents_created ON incidents (createdAt);
    CREATE INDEX IF NOT EXISTS incidents_customer ON incidents (customerId);
    CREATE INDEX IF NOT EXISTS incidents_phone ON incidents (phone);
    ${createTableSql('Prospectos')};
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO counters (name, value) VALUES ('${COUNTERS.folio}', 0), ('${COUNTERS.prospect}', 0);
  `);
  addMissingColumns(db, 'Clientes');
}

/** A store created by an older version lacks the columns added since (e.g. churnScore): add them, empty. */
function addMissingColumns<T extends TabName>(db: Database.Database, tab: T): void {
  const def = TABLES[tab];
  const have = new Set((db.prepare(`PRAGMA table_info(${def.table})`).all() as { name: string }[]).map((c) => c.name));
  for (const name of columnNames(tab)) {
    if (!have.has(name)) db.exec(`ALTER TABLE ${def.table} ADD COLUMN "${name}" ${def.columns[name].type}`);
  }
}
