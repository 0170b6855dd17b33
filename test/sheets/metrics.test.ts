/**
 * The Google Sheets store's monitoring on /metrics: request attempts by kind and outcome, 429
 * answers and the outbox, checked against what the Sheets emulator itself answered.
 */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import { loadMessages } from '../../src/config/messages.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { openSheetsStore, type SheetsStore } from '../../src/sheets/google/index.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import type { LoggedRequest } from '../emulators/sheets/server.ts';
import { sample } from '../scale/scaleStack.ts';
import { eventually, FAST, startSheetsFixture, type SheetsFixture } from './support.ts';
import { tempDirs } from '../support/tempDirs.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => {
  await fx?.close();
});

const tempDir = tempDirs('sheets-metrics-');

/** The emulator's log of one spreadsheet, in the store's kinds (append apart from the other writes). */
function answered(spreadsheetId: string): { kind: string; status: number }[] {
  return fx.emulator.log
    .filter((r: LoggedRequest) => r.spreadsheetId === spreadsheetId)
    .map((r) => ({ kind: r.op === 'values.append' ? 'append' : r.kind, status: r.status }));
}

const count = (log: { kind: string; status: number }[], kind: string, ok: boolean): number => log.filter((r) => r.kind === kind && (r.status === 200) === ok).length;

/** A store that flushes only when told (the writes wait long enough for the test to look at them). */
function openQuietStore(spreadsheetId: string, metrics: Metrics): SheetsStore {
  const config: IspConfig = structuredClone(fx.config);
  config.sheet.google.writeDelaySeconds = 600;
  const dataDir = tempDir();
  return openSheetsStore({
    env: fx.env(spreadsheetId, { DATA_DIR: dataDir }),
    config,
    logger: pino({ level: 'silent' }),
    kv: createMemoryKeyValue(),
    dataDir,
    tuning: { ...FAST, outboxRetryBaseMs: 600_000, outboxRetryMaxMs: 600_000 },
    metrics: metrics.sheets,
  });
}

/** Faults for writes to this spreadsheet only (the emulator is shared by the file's tests). */
const writesTo = (id: string) => (r: { kind: string; spreadsheetId: string }): boolean => r.kind === 'write' && r.spreadsheetId === id;

describe('Sheets metrics', () => {
  it('counts requests by kind and outcome and the 429s as the emulator answered them, and shows the outbox', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const id = fx.sheet();
    const store = openQuietStore(id, metrics);
    await store.listCustomers();

    // Five writes; the first flush gets a 503. An append that may have landed is not repeated at
    // once (the next flush checks the sheet first), so the writes wait in the outbox.
    fx.emulator.fail({ status: 503, times: 1, match: writesTo(id) });
    const folios: string[] = [];
    for (let i = 0; i < 5; i++) folios.push((await store.createIncident({ type: 'falla', priority: 'media', phone: `551234567${i}`, notes: `prueba ${i}` })).folio);
    let text = await metrics.scrape();
    expect(sample(text, 'isp_sheets_outbox_pending')).toBe(5);
    expect(sample(text, 'isp_sheets_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    const first = await store.flush();
    expect(first.failed).toBe(5);
    text = await metrics.scrape();
    expect(sample(text, 'isp_sheets_outbox_pending')).toBe(5);
    expect(sample(text, 'isp_sheets_requests_total', { kind: 'append', outcome: 'error' })).toBe(1);
    expect(sample(text, 'isp_sheets_requests_total', { kind: 'append', outcome: 'retry' })).toBeUndefined();
    expect(sample(text, 'isp_sheets_429_total')).toBeUndefined();

    // Then three 429s before Google takes them: all five land, the outbox empties.
    fx.emulator.fail({ status: 429, times: 3, match: writesTo(id) });
    await eventually(async () => {
      await store.flush();
      expect(fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => r[0])).toEqual(folios);
    });
    text = await metrics.scrape();
    expect(sample(text, 'isp_sheets_outbox_pending')).toBe(0);
    expect(sample(text, 'isp_sheets_outbox_oldest_age_seconds')).toBe(0);
    expect(sample(text, 'isp_sheets_429_total', { kind: 'append' })).toBe(3);
    expect(sample(text, 'isp_sheets_requests_total', { kind: 'append', outcome: 'retry' })).toBe(3);
    expect(sample(text, 'isp_sheets_requests_total', { kind: 'append', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'isp_sheets_429_total')).toBe(3);

    // Every attempt is counted once, as the emulator answered it: answers 200 are ok, the rest retry or error.
    const log = answered(id);
    for (const kind of ['read', 'write', 'append']) {
      const ok = sample(text, 'isp_sheets_requests_total', { kind, outcome: 'ok' }) ?? 0;
      const failed = (sample(text, 'isp_sheets_requests_total', { kind, outcome: 'retry' }) ?? 0) + (sample(text, 'isp_sheets_requests_total', { kind, outcome: 'error' }) ?? 0);
      expect(ok, `${kind} ok`).toBe(count(log, kind, true));
      expect(failed, `${kind} failed`).toBe(count(log, kind, false));
    }
    expect(count(log, 'append', true)).toBeGreaterThanOrEqual(1);
    expect(count(log, 'read', true)).toBeGreaterThanOrEqual(1);
    await store.close();
  });

  it('the app built with metrics and GOOGLE_SHEETS_ID reports its Sheets store on the registry', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const id = fx.sheet();
    const dataDir = tempDir();
    const app = await createApp({
      config: fx.config,
      env: fx.env(id, { DATA_DIR: dataDir, MESSAGES_DIR: fileURLToPath(new URL('../../config/messages', import.meta.url)) }),
      logger: pino({ level: 'silent' }),
      messages: loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url))),
      kv: createMemoryKeyValue(),
      metrics,
    });
    fx.emulator.fail({ status: 429, times: 1, match: writesTo(id) });
    const incident = await app.deps.store.createIncident({ type: 'falla', priority: 'alta', phone: '5512345678', channel: 'whatsapp' });
    // The background flusher sends it (after the 429 and a backoff).
    await eventually(() => expect(fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => r[0])).toEqual([incident.folio]), 20_000);
    await eventually(async () => {
      const text = await metrics.scrape();
      expect(sample(text, 'isp_sheets_requests_total', { kind: 'append', outcome: 'ok' })).toBe(1);
      expect(sample(text, 'isp_sheets_429_total', { kind: 'append' })).toBe(1);
      expect(sample(text, 'isp_sheets_outbox_pending')).toBe(0);
      expect(sample(text, 'isp_tickets_total', { channel: 'whatsapp' })).toBe(1);
    });
    await app.close();
  }, 30_000);
});
