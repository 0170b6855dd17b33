/**
 * The outbox in a SQLite file in DATA_DIR (no Redis): WAL + synchronous=FULL, so an entry is on
 * disk when `add` resolves. Processes sharing DATA_DIR share it; the lease is a row with an expiry.
 */
import { outboxEntrySchema, statsOf, type Outbox, type StoredEntry } from './outbox.ts';
import type { OutboxEntry } from './sheetView.ts';
import { openSqliteFile } from '../../state/sqliteFile.ts';

interface Row {
  id: number;
  body: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
}

export function openSqliteOutbox(file: string, spreadsheetId: string, clock: () => number = Date.now): Outbox {
  const db = openSqliteFile(file, 'FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      spreadsheet TEXT NOT NULL,
      body TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      sent_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_sheet ON outbox (spreadsheet, id);
    CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
  `);
  const insert = db.prepare<[string, string, number, number]>('INSERT INTO outbox (spreadsheet, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?)');
  const all = db.prepare<[string], Row>('SELECT * FROM outbox WHERE spreadsheet = ? ORDER BY id');
  const del = db.prepare<[number, string]>('DELETE FROM outbox WHERE id = ? AND spreadsheet = ?');
  const sent = db.prepare<[number, number, string]>('UPDATE outbox SET sent_at = COALESCE(sent_at, ?) WHERE id = ? AND spreadsheet = ?');
  const fail = db.prepare<[string, number, number, string]>('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND spreadsheet = ?');
  const takeLease = db.prepare<[string, string, number, number]>(
    'INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.expires_at <= ? OR leases.owner = excluded.owner',
  );
  const dropLease = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND owner = ?');
  const lease = `flush:${spreadsheetId}`;

  const toEntry = (r: Row): StoredEntry => ({
    ...outboxEntrySchema.parse(JSON.parse(r.body)),
    id: r.id,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
  });

  const addTx = db.transaction((entries: OutboxEntry[], now: number) =>
    entries.map((e) => {
      const id = Number(insert.run(spreadsheetId, JSON.stringify(e), now, now).lastInsertRowid);
      return { ...e, id, attempts: 0, createdAt: now, nextAttemptAt: now };
    }),
  );

  return {
    kind: 'sqlite',
    async add(entries, now) {
      return addTx.immediate(entries, now);
    },
    async list() {
      return all.all(spreadsheetId).map(toEntry);
    },
    async remove(ids) {
      db.transaction(() => ids.forEach((id) => del.run(id, spreadsheetId)))();
    },
    async markSent(ids, at) {
      db.transaction(() => ids.forEach((id) => sent.run(at, id, spreadsheetId)))();
    },
    async failed(ids, error, nextAttemptAt) {
      db.transaction(() => ids.forEach((id) => fail.run(error, nextAttemptAt, id, spreadsheetId)))();
    },
    async tryLease(owner, ttlMs) {
      const now = clock();
      return takeLease.run(lease, owner, now + ttlMs, now).changes === 1;
    },
    async releaseLease(owner) {
      dropLease.run(lease, owner);
    },
    async stats() {
      return statsOf(all.all(spreadsheetId).map(toEntry));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
