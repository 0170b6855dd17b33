/**
 * The Store contract (the same tests as the local store) on the Google Sheets adapter, through
 * the real client library and the Sheets API emulator. Each test gets a spreadsheet with no tabs
 * that `sheets init` prepares, as an ISP would on day one.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSheet, sheetsApiFromEnv, tabTitles } from '../../src/sheets/google/sheetSetup.ts';
import type { SheetsStore } from '../../src/sheets/google/index.ts';
import type { Store } from '../../src/sheets/store.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { describeStoreContract } from '../contracts/storeContract.ts';
import { startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

async function freshSheet(): Promise<string> {
  const id = fx.sheet({});
  const api = sheetsApiFromEnv(fx.env(id), pino({ level: 'silent' }), { timeoutMs: 5000, maxAttempts: 1 });
  await initSheet(api, tabTitles(fx.config), fx.config.sheet.columnAliases);
  return id;
}

describeStoreContract(
  'Google Sheets (emulator)',
  async () => {
    const id = await freshSheet();
    const kv = createMemoryKeyValue();
    return { store: fx.open(id, { kv }), reopen: async () => fx.open(id, { kv: createMemoryKeyValue() }) };
  },
  { durable: true },
);

/**
 * The same contract, but every read is answered by a second store that has just read the sheet
 * (cache TTL 0) after the first one flushed: what lands in the sheet must read back identical.
 */
function readBack(writer: SheetsStore, reader: SheetsStore): Store {
  const read =
    <K extends keyof Store>(name: K) =>
    async (...args: unknown[]) => {
      await writer.flush();
      return (reader[name] as (...a: unknown[]) => unknown)(...args);
    };
  return {
    kind: 'sheets',
    listCustomers: read('listCustomers') as Store['listCustomers'],
    getCustomer: read('getCustomer') as Store['getCustomer'],
    findCustomerByPhone: read('findCustomerByPhone') as Store['findCustomerByPhone'],
    findCustomerByTelegramId: read('findCustomerByTelegramId') as Store['findCustomerByTelegramId'],
    listIncidents: read('listIncidents') as Store['listIncidents'],
    getIncident: read('getIncident') as Store['getIncident'],
    listProspects: read('listProspects') as Store['listProspects'],
    exportRows: read('exportRows') as Store['exportRows'],
    rowIssues: read('rowIssues') as Store['rowIssues'],
    upsertCustomers: (c) => writer.upsertCustomers(c),
    createIncident: (i) => writer.createIncident(i),
    updateIncident: (f, p) => writer.updateIncident(f, p),
    createProspect: (p) => writer.createProspect(p),
    importRows: (t, r) => writer.importRows(t, r),
    close: async () => {
      await writer.close();
      await reader.close();
    },
  };
}

describeStoreContract('Google Sheets, read back from the sheet', async () => {
  const id = await freshSheet();
  const config = structuredClone(fx.config);
  config.sheet.google.cacheTtlSeconds = 0;
  return { store: readBack(fx.open(id), fx.open(id, { config })) };
});

describe('Sheets contract extras', () => {
  it('what the contract wrote is in the sheet itself, not only in the cache', async () => {
    const id = await freshSheet();
    const store = fx.open(id);
    const created = await store.createIncident({ type: 'falla', priority: 'alta', phone: '5512345678', description: '=IMPORTXML("http://x","//a")' });
    await store.flush();
    const rows = fx.emulator.spreadsheet(id).text('Incidentes');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(created.folio);
    // RAW: typed text stays text, never a formula.
    const cell = fx.emulator.spreadsheet(id).sheet('Incidentes').rows[1]!.find((c) => typeof c === 'object' && c !== null);
    expect(cell).toBeUndefined();
    expect(rows[1]).toContain('=IMPORTXML("http://x","//a")');
    await store.close();
  });
});
