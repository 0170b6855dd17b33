/**
 * Outreach in the ISP's Google Sheet (real client against the Sheets emulator): every outbound
 * message in the `Notificaciones` tab, status updates rewriting its row (found by ID, even after
 * staff insert rows), a burst in at most three requests; and the churn score in the `Riesgo`
 * column of Clientes, written only where it changed — on the Sheet and on the local store.
 */
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainChurn } from '../../src/outreach/churn/train.ts';
import { openNotificationLog } from '../../src/outreach/openNotificationLog.ts';
import type { MirroredLog } from '../../src/outreach/notifications/sheetMirror.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { startSheetsFixture, type SheetsFixture } from '../sheets/support.ts';
import { customer } from './support.ts';
import { tempDirs } from '../support/tempDirs.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => {
  await fx?.close();
});
const tempDir = tempDirs('outreach-sheet-');
const clock = () => new Date('2026-03-10T16:00:00Z');
const HEADERS = ['ID', 'Fecha', 'ID Cliente', 'Canal', 'Campaña', 'Mensaje', 'ID del proveedor', 'Estado', 'Error'];

describe('the Notificaciones tab', () => {
  it('holds every outbound message; statuses update its row; a burst takes at most three requests', async () => {
    const id = fx.sheet();
    const dir = tempDir();
    const kv = createMemoryKeyValue();
    const config = structuredClone(fx.config);
    config.sheet.google.writeDelaySeconds = 60; // the test flushes by hand
    const log = await openNotificationLog(kv, dir, clock, { env: fx.env(id, { DATA_DIR: dir }), config, logger: pino({ level: 'silent' }) }) as MirroredLog;
    for (let i = 1; i <= 20; i++) {
      await log.record({ customerId: `C-${i}`, channel: 'whatsapp', campaign: 'general', content: `Hola ${i}`, providerMessageId: `wamid.${i}`, status: 'sent' });
    }
    await log.record({ customerId: 'C-99', channel: 'whatsapp', campaign: 'recordatorio:0', content: '=HYPERLINK("x")', status: 'failed', error: 'not sendable: the 24-hour WhatsApp window is closed' });
    const before = fx.emulator.count();
    expect(await log.flush()).toEqual({ appended: 21, updated: 0, busy: false });
    // The tab was created (spreadsheets.get, addSheet, header read, header write), then one read and one append.
    expect(fx.emulator.count() - before).toBeLessThanOrEqual(6);
    const sheet = fx.emulator.spreadsheet(id);
    expect(sheet.text('Notificaciones')[0]).toEqual(HEADERS);
    expect(sheet.text('Notificaciones')[1]).toEqual(['N-000001', '2026-03-10T16:00:00.000Z', 'C-1', 'whatsapp', 'general', 'Hola 1', 'wamid.1', 'sent']);
    expect(sheet.text('Notificaciones')[21]).toEqual(['N-000021', '2026-03-10T16:00:00.000Z', 'C-99', 'whatsapp', 'recordatorio:0', '=HYPERLINK("x")', '', 'failed', 'not sendable: the 24-hour WhatsApp window is closed']);

    // Staff insert a row at the top and add a column of their own; our rows are still found by ID.
    sheet.insertRow('Notificaciones', 2, ['nota del personal']);
    expect(await log.updateStatus('wamid.3', 'delivered')).toBe(true);
    expect(await log.updateStatus('wamid.3', 'read')).toBe(true);
    expect(await log.updateStatus('wamid.7', 'failed', '(#131026) Message undeliverable')).toBe(true);
    expect(await log.updateStatus('wamid.unknown', 'read')).toBe(false);
    const beforeUpdate = fx.emulator.count();
    expect(await log.flush()).toEqual({ appended: 0, updated: 2, busy: false });
    expect(fx.emulator.count() - beforeUpdate).toBe(2); // one read, one batchUpdate
    const rows = fx.emulator.spreadsheet(id).text('Notificaciones');
    expect(rows[1]).toEqual(['nota del personal']);
    expect(rows.find((r) => r[0] === 'N-000003')?.slice(6, 9)).toEqual(['wamid.3', 'read']);
    expect(rows.find((r) => r[0] === 'N-000007')?.slice(6, 9)).toEqual(['wamid.7', 'failed', '(#131026) Message undeliverable']);
    expect(rows.filter((r) => r[0]?.startsWith('N-')).length).toBe(21);
    // Nothing left: a flush sends nothing.
    const idle = fx.emulator.count();
    expect(await log.flush()).toEqual({ appended: 0, updated: 0, busy: false });
    expect(fx.emulator.count()).toBe(idle);
    await log.close();
  }, 60_000);

  it('keeps what Google refused and sends it with the next flush, at close', async () => {
    const id = fx.sheet();
    const dir = tempDir();
    const config = structuredClone(fx.config);
    config.sheet.google.writeDelaySeconds = 60;
    config.sheet.google.maxAttempts = 1;
    const log = await openNotificationLog(createMemoryKeyValue(), dir, clock, { env: fx.env(id, { DATA_DIR: dir }), config, logger: pino({ level: 'silent' }) }) as MirroredLog;
    await log.record({ customerId: 'C-1', channel: 'telegram', campaign: 'general', content: 'Hola', providerMessageId: 'tg:1:1', status: 'sent' });
    fx.emulator.fail({ status: 503, times: 1, match: (r) => r.spreadsheetId === id && r.op === 'values.append' });
    await expect(log.flush()).rejects.toThrow(/503/);
    expect(fx.emulator.spreadsheet(id).text('Notificaciones')).toEqual([HEADERS]);
    await log.close();
    expect(fx.emulator.spreadsheet(id).text('Notificaciones').slice(1).map((r) => r[0])).toEqual(['N-000001']);
  }, 60_000);
});

describe('the Riesgo column', () => {
  const customers = () => [
    customer('C-1', { signupDate: '2025-01-10', dueDate: '2026-02-01', balance: 900 }),
    customer('C-2', { signupDate: '2020-01-10' }),
    customer('C-3', { signupDate: '2025-06-10', status: 'cancelado' }),
  ];

  it('outreach train writes each live customer\'s score to the Sheet, only where it changed', async () => {
    const id = fx.sheet();
    const store = fx.open(id);
    await store.upsertCustomers(customers());
    await store.flush();
    const kv = createMemoryKeyValue();
    const report = await trainChurn({ config: fx.config, store, kv, clock });
    expect(report).toMatchObject({ model: 'rules', scored: 2, written: 2 });
    await store.flush();
    const rows = fx.emulator.spreadsheet(id).text('Clientes');
    const col = rows[0]!.indexOf('Riesgo');
    expect(col).toBeGreaterThan(0);
    const scores = Object.fromEntries(rows.slice(1).map((r) => [r[0], r[col] ?? '']));
    expect(Number(scores['C-1'])).toBeGreaterThan(Number(scores['C-2']));
    expect(scores['C-3']).toBe('');
    expect((await store.getCustomer('C-1'))?.churnScore).toBe(Number(scores['C-1']));
    // Nothing changed: nothing written.
    expect(await trainChurn({ config: fx.config, store, kv, clock })).toMatchObject({ written: 0 });
    expect((await store.backlog()).pending).toBe(0);
    await store.close();

    // A fresh read of the Sheet (another process) sees the scores too.
    const other = fx.open(id);
    expect((await other.getCustomer('C-2'))?.churnScore).toBe(Number(scores['C-2']));
    await other.close();
  }, 60_000);

  it('and to the local store, where export shows it under Riesgo', async () => {
    const store = openLocalStore({ file: join(tempDir(), 'isp.db') });
    await store.upsertCustomers(customers());
    const report = await trainChurn({ config: fx.config, store, kv: createMemoryKeyValue(), clock });
    expect(report.written).toBe(2);
    const c1 = await store.getCustomer('C-1');
    expect(c1?.churnScore).toBeGreaterThan(0);
    const exported = await store.exportRows('Clientes');
    expect(exported.find((r) => r.ID === 'C-1')?.Riesgo).toBe(String(c1?.churnScore));
    expect(exported.find((r) => r.ID === 'C-3')?.Riesgo).toBe('');
    await store.close();
  });
});
