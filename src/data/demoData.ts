/**
 * The demo data set (generated in demoGenerator.ts) and loading it into a Store. Idempotent:
 * customers are upserted by their DEMO-#### ids, and incidents/prospects are only added when the
 * store holds no DEMO ones yet. Incidents and prospects keep their historical dates, so they are
 * written with `importRows` under folios/ids that follow the highest ones already in the store.
 */
import type { IspConfig } from '../config/schema.ts';
import type { TabName } from '../sheets/records.ts';
import type { Store } from '../sheets/store.ts';
import type { TabRecord } from '../sheets/columns.ts';
import { encodeRecord } from '../sheets/rowCodec.ts';
import { FOLIO_PREFIX, PROSPECT_PREFIX, formatSequentialId, highestSequence } from '../sheets/sequentialIds.ts';
import { generateDemoData, isDemo, type DemoOptions } from './demoGenerator.ts';

export { DEMO_MARK, generateDemoData, isDemo, type DemoData, type DemoIncident, type DemoOptions, type DemoProspect } from './demoGenerator.ts';

export interface LoadDemoResult {
  customers: number;
  incidents: number;
  prospects: number;
  /** Tabs left alone because they already held demo rows. */
  skipped: TabName[];
}

async function importAll<T extends 'Incidentes' | 'Prospectos'>(store: Store, tab: T, records: TabRecord[T][]): Promise<void> {
  const result = await store.importRows(tab, records.map((r) => encodeRecord(tab, r)));
  if (result.issues.length > 0) {
    throw new Error(`demo data rejected by the store (${tab}): ${result.issues.map((i) => `row ${i.row}: ${i.message}`).join('; ')}`);
  }
}

export async function loadDemoData(store: Store, config: IspConfig, options: DemoOptions = {}): Promise<LoadDemoResult> {
  const data = generateDemoData(config, options);
  const result: LoadDemoResult = { customers: data.customers.length, incidents: 0, prospects: 0, skipped: [] };
  await store.upsertCustomers(data.customers);

  const incidents = await store.listIncidents();
  if (incidents.some((i) => isDemo(i.notes))) result.skipped.push('Incidentes');
  else {
    const start = highestSequence(FOLIO_PREFIX, incidents.map((i) => i.folio));
    await importAll(store, 'Incidentes', data.incidents.map((inc, i) => ({ ...inc, folio: formatSequentialId(FOLIO_PREFIX, start + i + 1) })));
    result.incidents = data.incidents.length;
  }

  const prospects = await store.listProspects();
  if (prospects.some((p) => isDemo(p.notes))) result.skipped.push('Prospectos');
  else {
    const start = highestSequence(PROSPECT_PREFIX, prospects.map((p) => p.id));
    await importAll(store, 'Prospectos', data.prospects.map((p, i) => ({ ...p, id: formatSequentialId(PROSPECT_PREFIX, start + i + 1) })));
    result.prospects = data.prospects.length;
  }
  return result;
}
