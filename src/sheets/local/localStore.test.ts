import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteKeyValue } from '../../state/sqliteKeyValue.ts';
import { openLocalStore } from './localStore.ts';

describe('local store (SQLite specifics)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-store-'));
    file = join(dir, 'isp.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves whole-tab reads from a cache that sees its own writes and other processes\' commits', async () => {
    const bot = openLocalStore({ file });
    const importer = openLocalStore({ file });
    const row = { id: 'C-1', name: 'Rosa Díaz', phone: '5512345678', zone: 'Sur', status: 'activo' as const };
    expect(await bot.listCustomers()).toEqual([]);
    await importer.upsertCustomers([row]);
    expect((await bot.listCustomers()).map((c) => c.name)).toEqual(['Rosa Díaz']);
    await bot.upsertCustomers([{ ...row, name: 'Rosa Díaz Pérez' }]);
    const listed = await bot.listCustomers();
    expect(listed.map((c) => c.name)).toEqual(['Rosa Díaz Pérez']);
    listed[0]!.name = 'mutated by a caller';
    expect((await bot.listCustomers())[0]?.name).toBe('Rosa Díaz Pérez');
    await bot.createProspect({ name: 'Leo Gil', phone: '5587654321' });
    expect(await importer.listProspects()).toHaveLength(1);
    await Promise.all([bot.close(), importer.close()]);
  });

  it('leaves the file in WAL mode', async () => {
    const store = openLocalStore({ file });
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('never reuses a folio or prospect id, even after the newest rows are deleted', async () => {
    let store = openLocalStore({ file });
    const a = await store.createIncident({ type: 'pago', priority: 'baja' });
    const b = await store.createIncident({ type: 'pago', priority: 'baja' });
    const p = await store.createProspect({ name: 'Lupita', phone: '5512345678' });
    expect([a.folio, b.folio, p.id]).toEqual(['F-000001', 'F-000002', 'P-000001']);
    await store.close();

    const db = new Database(file);
    db.prepare('DELETE FROM incidents WHERE folio = ?').run(b.folio);
    db.prepare('DELETE FROM prospects').run();
    db.close();

    store = openLocalStore({ file });
    expect((await store.createIncident({ type: 'pago', priority: 'baja' })).folio).toBe('F-000003');
    expect((await store.createProspect({ name: 'Otra', phone: '5587654321' })).id).toBe('P-000002');
    await store.close();
  });

  it('uses the injected clock for timestamps', async () => {
    const store = openLocalStore({ file: ':memory:', clock: () => new Date('2025-03-01T12:00:00Z') });
    const inc = await store.createIncident({ type: 'humano', priority: 'media' });
    expect(inc.createdAt).toBe('2025-03-01T12:00:00.000Z');
    await store.close();
  });

  it('reports rows edited by hand into invalid values, and leaves them out of reads', async () => {
    const store = openLocalStore({ file });
    await store.upsertCustomers([
      { id: 'C-1', name: 'Ana', phone: '5512345678', zone: 'Centro', status: 'activo' },
      { id: 'C-2', name: 'Beto', phone: '3312345678', zone: 'Sur', status: 'activo' },
    ]);
    const db = new Database(file);
    db.prepare("UPDATE customers SET status = 'vacaciones' WHERE id = 'C-2'").run();
    db.close();
    expect(await store.rowIssues()).toEqual([{ tab: 'Clientes', row: 3, message: 'status: valor no reconocido "vacaciones"' }]);
    expect((await store.listCustomers()).map((c) => c.id)).toEqual(['C-1']);
    await store.close();
  });

  it('shares its file with the SQLite key-value store', async () => {
    const store = openLocalStore({ file });
    const kv = openSqliteKeyValue(file);
    await kv.set('session:x', { a: 1 });
    await store.upsertCustomers([{ id: 'C-1', name: 'Ana', phone: '5512345678', zone: 'Centro', status: 'activo' }]);
    expect(await kv.get('session:x')).toEqual({ a: 1 });
    expect(await store.getCustomer('C-1')).toBeDefined();
    await kv.close();
    await store.close();
  });

  it('rejects calls after close', async () => {
    const store = openLocalStore({ file: ':memory:' });
    await store.close();
    await expect(store.listCustomers()).rejects.toThrow();
  });
});
