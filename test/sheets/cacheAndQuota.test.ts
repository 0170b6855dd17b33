/**
 * Requests to Google are few: lookups come from an index over one cached read, our own writes
 * are visible without re-reading, writes due together go in one batch, and a limiter shared by
 * every instance (Redis) keeps the requests under the per-minute quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

const customers = Array.from({ length: 200 }, (_, i) => [`C-${i}`, `Cliente ${i}`, `55${String(10000000 + i)}`, 'Sur', '', '50', '450', 'activo', '', '', '0', String(9000 + i), '']);
const bigSheet = () => fx.sheet({ ...standardTabs(), Clientes: [tabHeaders('Clientes'), ...customers] });
const requests = (id: string, kind?: 'read' | 'write') => fx.emulator.log.filter((r) => r.spreadsheetId === id && (!kind || r.kind === kind));

describe('Sheets request economy', () => {
  it('600 lookups by phone, id and Telegram id cost one read of the sheet', async () => {
    const id = bigSheet();
    const store = fx.open(id);
    for (let i = 0; i < 200; i++) {
      expect((await store.findCustomerByPhone(`55 ${String(10000000 + i)}`))?.id).toBe(`C-${i}`);
      expect((await store.getCustomer(`C-${i}`))?.name).toBe(`Cliente ${i}`);
      expect((await store.findCustomerByTelegramId(String(9000 + i)))?.id).toBe(`C-${i}`);
    }
    expect(requests(id).map((r) => r.op)).toEqual(['spreadsheets.get', 'values.batchGet']);
    await store.close();
  });

  it('our writes are visible at once without a re-read; the sheet is read again after the TTL', async () => {
    const id = bigSheet();
    let now = Date.parse('2026-03-10T16:00:00Z');
    const store = fx.open(id, { tuning: { clock: () => now } });
    await store.listCustomers();
    const incident = await store.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-1' });
    await store.upsertCustomers([{ ...(await store.getCustomer('C-1'))!, balance: 99 }]);
    expect(await store.getIncident(incident.folio)).toEqual(incident);
    expect((await store.getCustomer('C-1'))?.balance).toBe(99);
    expect(requests(id, 'read')).toHaveLength(2);
    now += fx.config.sheet.google.cacheTtlSeconds * 1000 + 1;
    await store.listCustomers();
    expect(requests(id, 'read')).toHaveLength(3);
    await store.close();
  });

  it('writes due at the same time go in one batch: one values.batchUpdate and one append per tab', async () => {
    const id = fx.sheet({ ...standardTabs(), Incidentes: [tabHeaders('Incidentes'), ['F-000001', '2026-03-01', '', 'falla'], ['F-000002', '2026-03-02', '', 'pago']] });
    const config = structuredClone(fx.config);
    config.sheet.google.writeDelaySeconds = 60; // nothing leaves before we flush
    const store = fx.open(id, { config });
    await store.listIncidents();
    const before = requests(id, 'write').length;
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => store.createIncident({ type: 'falla', priority: 'media', description: `n${i}` })),
      ...Array.from({ length: 5 }, (_, i) => store.createProspect({ name: `Prospecto ${i}`, phone: `558765432${i}` })),
      store.updateIncident('F-000001', { status: 'en_proceso' }),
      store.updateIncident('F-000002', { status: 'cerrado', notes: 'pagado' }),
    ]);
    await store.flush();
    expect(requests(id, 'write').slice(before).map((r) => r.op).sort()).toEqual(['values.append', 'values.append', 'values.batchUpdate']);
    expect(fx.emulator.spreadsheet(id).text('Incidentes')).toHaveLength(13);
    expect(fx.emulator.spreadsheet(id).text('Prospectos')).toHaveLength(6);
    await store.close();
  });
});

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('quota shared by instances (Redis)', () => {
  it('two instances together stay under the per-user quota: no 429', async () => {
    if (!(await redisAnswers(REDIS_URL))) throw new Error(`these tests need a redis-server at ${REDIS_URL}`);
    const id = bigSheet();
    const prefix = `test:sheets-quota:${process.pid}:${Date.now()}:`;
    const config = structuredClone(fx.config);
    config.sheet.google.cacheTtlSeconds = 0; // every call reads: a worst case for the quota
    config.sheet.google.readsPerMinute = 6;
    // Google's minute compressed to 6 s (Redis counts whole seconds): at most 7 reads in any 6 s.
    fx.emulator.quota = { perUser: 8, perProject: 100, windowMs: 6000 };
    const open = () =>
      fx.open(id, { config, kv: createRedisKeyValue(REDIS_URL, { keyPrefix: prefix }), env: { REDIS_URL }, tuning: { quotaWindowMs: 6000, redisKeyPrefix: prefix } });
    const a = open();
    const b = open();
    try {
      const readFiveTimes = async (s: typeof a) => {
        for (let i = 0; i < 5; i++) await s.listCustomers();
      };
      await Promise.all([readFiveTimes(a), readFiveTimes(b)]);
      expect(requests(id, 'read').length).toBeGreaterThanOrEqual(12);
      expect(requests(id).filter((r) => r.status === 429)).toEqual([]);
    } finally {
      fx.emulator.quota = undefined;
      await Promise.all([a.close(), b.close()]);
    }
  }, 40_000);
});
