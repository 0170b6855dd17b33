/**
 * Google failing, slow or over quota: the customer still gets their folio at once, every write
 * lands exactly once, and what cannot be written yet waits in the durable outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { folioIn, prospectIdIn, startSheetsApp } from './appHarness.ts';
import { eventually, standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

const ana = ['C-0010', 'Ana López', '525512345678', 'Sur', 'Las Flores', '50', '450', 'activo', '2024-01-15', '2026-03-15', '0', '', ''];
const withAna = () => ({ ...standardTabs(), Clientes: [tabHeaders('Clientes'), ana] });
const dataRows = (id: string, tab: string) => fx.emulator.spreadsheet(id).text(tab).slice(1);
const writes = (r: { kind: string }) => r.kind === 'write';

describe('Sheets store under failure', () => {
  it('a registration and a falla ticket are written while the API answers 429 three times', async () => {
    const id = fx.sheet(withAna());
    const { app, store, chat } = await startSheetsApp(fx, id);
    const before429 = fx.emulator.count({ status: 429 });
    fx.emulator.fail({ status: 429, times: 3, match: writes });

    const customer = chat('ana', '5512345678');
    await customer('no tengo internet desde ayer');
    const filed = await customer('sí, ya lo reinicié');
    const folio = folioIn(filed);
    expect(folio, filed).toBeDefined();

    const prospect = chat('beto');
    await prospect('quiero contratar 50 megas en la zona norte');
    await prospect('Beto Ruiz');
    await prospect('5587654321');
    const registered = await prospect('sí');
    const pid = prospectIdIn(registered);
    expect(pid, registered).toBeDefined();

    // The customer is answered before Google accepts the write; both rows land, once each.
    await eventually(async () => {
      await store.flush();
      expect(dataRows(id, 'Incidentes').map((r) => r[0])).toEqual([folio]);
      expect(dataRows(id, 'Prospectos').map((r) => r[0])).toEqual([pid]);
    });
    expect(fx.emulator.count({ status: 429 }) - before429).toBe(3);
    expect(await store.backlog()).toEqual({ pending: 0 });
    expect(dataRows(id, 'Prospectos')[0]).toEqual(expect.arrayContaining(['Beto Ruiz', '525587654321', 'Norte', '50']));
    await app.close();
  });

  it('a write that keeps failing waits in the outbox, stays visible, and lands later', async () => {
    const id = fx.sheet(withAna());
    const store = fx.open(id);
    await store.listCustomers();
    fx.emulator.fail({ status: 503, times: 5, match: writes }); // maxAttempts = 5 → one flush gives up
    const incident = await store.createIncident({ type: 'pago', priority: 'media', customerId: 'C-0010', notes: 'comprobante enviado' });
    const report = await store.flush();
    expect(report.failed).toBe(1);
    expect(await store.backlog()).toMatchObject({ pending: 1, lastError: expect.stringContaining('503') });
    expect(await store.getIncident(incident.folio)).toEqual(incident);
    expect(dataRows(id, 'Incidentes')).toEqual([]);
    await eventually(async () => {
      await store.flush();
      expect(dataRows(id, 'Incidentes').map((r) => r[0])).toEqual([incident.folio]);
    });
    expect(await store.backlog()).toEqual({ pending: 0 });
    await store.close();
  });

  it('an append that landed but whose answer was lost is not appended twice', async () => {
    const id = fx.sheet(withAna());
    const store = fx.open(id);
    fx.emulator.fail({ lostAnswer: true, times: 1, match: (r) => r.op === 'values.append' });
    const a = await store.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-0010' });
    const first = await store.flush();
    expect(first.failed).toBe(1); // ambiguous: not repeated blindly
    expect(dataRows(id, 'Incidentes').map((r) => r[0])).toEqual([a.folio]); // …but it did land
    const b = await store.createIncident({ type: 'humano', priority: 'media', customerId: 'C-0010' });
    await eventually(async () => {
      await store.flush();
      expect(await store.backlog()).toEqual({ pending: 0 });
    });
    expect(dataRows(id, 'Incidentes').map((r) => r[0])).toEqual([a.folio, b.folio]);
    await store.close();
  });

  it('a slow answer (client timeout) whose write still lands creates no duplicate', async () => {
    const id = fx.sheet(withAna());
    const config = structuredClone(fx.config);
    config.sheet.google.requestTimeoutSeconds = 0.3;
    const store = fx.open(id, { config });
    await store.listCustomers();
    fx.emulator.fail({ delayMs: 800, times: 1, match: (r) => r.op === 'values.append' });
    const a = await store.createProspect({ name: 'Lupita Ríos', phone: '5587654321', zone: 'Sur' });
    expect((await store.flush()).failed).toBe(1);
    await eventually(() => expect(dataRows(id, 'Prospectos').map((r) => r[0])).toEqual([a.id]));
    await eventually(async () => {
      await store.flush();
      expect(await store.backlog()).toEqual({ pending: 0 });
    });
    expect(dataRows(id, 'Prospectos').map((r) => r[0])).toEqual([a.id]);
    await store.close();
  });

  it('reads are retried on 500 and, when the sheet stays down, served from the last read', async () => {
    const id = fx.sheet(withAna());
    const config = structuredClone(fx.config);
    config.sheet.google.cacheTtlSeconds = 0;
    const store = fx.open(id, { config });
    fx.emulator.fail({ status: 500, times: 2, match: (r) => r.kind === 'read' });
    expect((await store.findCustomerByPhone('55 1234 5678'))?.id).toBe('C-0010');
    fx.emulator.fail({ status: 500, times: 1000, match: (r) => r.kind === 'read' && r.spreadsheetId === id });
    expect((await store.findCustomerByPhone('5512345678'))?.name).toBe('Ana López');
    await store.close();
  });

  it('writes left in the outbox at shutdown are sent at the next start, and visible meanwhile', async () => {
    const id = fx.sheet(withAna());
    const dataDir = mkdtempSync(join(tmpdir(), 'sheets-restart-'));
    const first = fx.open(id, { dataDir, tuning: { closeTimeoutMs: 2000 } });
    await first.listCustomers();
    fx.emulator.fail({ status: 503, times: 10, match: (r) => writes(r) && r.spreadsheetId === id });
    const incident = await first.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-0010' });
    await first.close();
    expect(dataRows(id, 'Incidentes')).toEqual([]);

    const second = fx.open(id, { dataDir });
    expect(await second.getIncident(incident.folio)).toEqual(incident);
    await eventually(async () => {
      await second.flush();
      expect(dataRows(id, 'Incidentes').map((r) => r[0])).toEqual([incident.folio]);
    });
    await second.close();
  });
});
