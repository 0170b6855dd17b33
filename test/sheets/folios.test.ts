/**
 * Folios across instances: one counter in the shared KV (Redis, or the SQLite state file of a
 * shared DATA_DIR), raised above the highest folio in the sheet. Instances that share nothing
 * (different machines, no REDIS_URL) can repeat a folio: nothing is lost and the repeat is reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

const withFolios = (...folios: string[]) => fx.sheet({ ...standardTabs(), Incidentes: [tabHeaders('Incidentes'), ...folios.map((f) => [f, '2026-03-01', '', 'falla'])] });

describe('folios', () => {
  it('two instances sharing the KV: unique folios above the highest one in the sheet', async () => {
    const id = withFolios('F-000007', 'F-000041');
    const kv = createMemoryKeyValue();
    const [a, b] = [fx.open(id, { kv }), fx.open(id, { kv })];
    const created = await Promise.all([a, b].flatMap((s) => Array.from({ length: 10 }, () => s.createIncident({ type: 'falla', priority: 'media' }))));
    const folios = created.map((i) => i.folio);
    expect(new Set(folios).size).toBe(20);
    expect(folios.every((f) => Number(f.slice(2)) > 41)).toBe(true);
    await Promise.all([a.close(), b.close()]);
    expect(fx.emulator.spreadsheet(id).text('Incidentes')).toHaveLength(23);
  });

  it('a folio typed by hand above the counter is skipped once the sheet has been read again', async () => {
    const id = withFolios('F-000001');
    const config = structuredClone(fx.config);
    config.sheet.google.cacheTtlSeconds = 0;
    const store = fx.open(id, { config });
    expect((await store.createIncident({ type: 'pago', priority: 'baja' })).folio).toBe('F-000002');
    fx.emulator.spreadsheet(id).insertRow('Incidentes', 3, ['F-000003', '2026-03-02', '', 'humano']);
    await store.listIncidents();
    expect((await store.createIncident({ type: 'pago', priority: 'baja' })).folio).toBe('F-000004');
    await store.close();
  });

  it('instances sharing nothing may repeat a folio: both rows are kept and the repeat is reported', async () => {
    const id = withFolios();
    const [a, b] = [fx.open(id), fx.open(id)]; // each with its own in-memory KV
    const [x, y] = [await a.createIncident({ type: 'falla', priority: 'alta' }), await b.createIncident({ type: 'pago', priority: 'media' })];
    expect(x.folio).toBe(y.folio);
    await Promise.all([a.flush(), b.flush()]);
    expect(fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => r[0])).toEqual([x.folio, y.folio]);
    const reader = fx.open(id);
    expect((await reader.rowIssues()).map((i) => i.message)).toEqual([`Folio: "${x.folio}" repetido (ya está en la fila 2)`]);
    await Promise.all([a.close(), b.close(), reader.close()]);
  });
});
