import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/loadConfig.ts';
import { openLocalStore } from '../sheets/local/localStore.ts';
import { loadDemoData } from './demoData.ts';

const config = loadConfig(join(import.meta.dirname, '../../config/isp.yaml'));
const now = new Date('2025-06-15T18:00:00Z');

describe('loadDemoData', () => {
  it('writes the data set once: a second run does not duplicate anything', async () => {
    const store = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases });
    const first = await loadDemoData(store, config, { seed: 3, now });
    expect(first).toEqual({ customers: 500, incidents: 50, prospects: 20, skipped: [] });
    const second = await loadDemoData(store, config, { seed: 3, now });
    expect(second.skipped).toEqual(['Incidentes', 'Prospectos']);
    expect(await store.listCustomers()).toHaveLength(500);
    expect(await store.listIncidents()).toHaveLength(50);
    expect(await store.listProspects()).toHaveLength(20);
    expect(await store.rowIssues()).toEqual([]);
    await store.close();
  });

  it('keeps historical dates and does not touch real rows already in the store', async () => {
    const store = openLocalStore({ file: ':memory:' });
    const real = await store.createIncident({ type: 'pago', priority: 'baja', notes: 'cliente real' });
    await store.upsertCustomers([{ id: 'C-1', name: 'Cliente Real', phone: '5512345678', zone: 'Centro', status: 'activo' }]);
    await loadDemoData(store, config, { seed: 3, now, customers: 40 });
    expect(await store.getIncident(real.folio)).toEqual(real);
    expect(await store.getCustomer('C-1')).toBeDefined();
    const incidents = await store.listIncidents();
    expect(new Set(incidents.map((i) => i.folio)).size).toBe(51);
    expect(incidents.filter((i) => i.createdAt < '2025-06-01').length).toBeGreaterThan(10);
    const next = await store.createIncident({ type: 'humano', priority: 'media' });
    expect(incidents.map((i) => i.folio)).not.toContain(next.folio);
    await store.close();
  });
});
