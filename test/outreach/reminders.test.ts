import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cycleDueDate, localDate } from '../../src/outreach/calendar.ts';
import { openSqliteNotificationLog } from '../../src/outreach/notificationLog.ts';
import { recordOptOut } from '../../src/outreach/optOut.ts';
import { dueReminders, runReminders, type ReminderDeps } from '../../src/outreach/reminders.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { config, customer, messages, recordingSender } from './support.ts';

const OFFSETS = [-3, 0, 3];
const owing = (dueDate: string, extra: Partial<Customer> = {}) => ({ status: 'activo' as const, balance: 450, dueDate, ...extra });

describe('billing cycle dates', () => {
  it('clamps a day-of-month cycle to short months', () => {
    expect(cycleDueDate(31, '2026-04')).toBe('2026-04-30');
    expect(cycleDueDate(31, '2026-02')).toBe('2026-02-28');
    expect(cycleDueDate(30, '2028-02')).toBe('2028-02-29');
    expect(cycleDueDate(15, '2026-02')).toBe('2026-02-15');
  });

  it('reminds a 31st customer on 30 April, and 3 days before and after it', () => {
    const c = owing('2026-03-31');
    expect(dueReminders(c, '2026-04-27', OFFSETS)).toEqual([{ offset: -3, dueDate: '2026-04-30' }]);
    expect(dueReminders(c, '2026-04-30', OFFSETS)).toEqual([{ offset: 0, dueDate: '2026-04-30' }]);
    expect(dueReminders(c, '2026-05-03', OFFSETS)).toEqual([{ offset: 3, dueDate: '2026-04-30' }]);
    // 1 May is not a due day of the cycle (April has no 31st).
    expect(dueReminders(c, '2026-05-01', OFFSETS)).toEqual([]);
  });

  it('handles February in common and leap years, and the year end', () => {
    expect(dueReminders(owing('2026-01-30'), '2026-02-28', OFFSETS)).toEqual([{ offset: 0, dueDate: '2026-02-28' }]);
    expect(dueReminders(owing('2026-01-30'), '2026-03-03', OFFSETS)).toEqual([{ offset: 3, dueDate: '2026-02-28' }]);
    expect(dueReminders(owing('2028-01-31'), '2028-02-29', OFFSETS)).toEqual([{ offset: 0, dueDate: '2028-02-29' }]);
    expect(dueReminders(owing('2026-12-31'), '2026-12-28', OFFSETS)).toEqual([{ offset: -3, dueDate: '2026-12-31' }]);
    expect(dueReminders(owing('2026-12-31'), '2027-01-03', OFFSETS)).toEqual([{ offset: 3, dueDate: '2026-12-31' }]);
  });

  it('skips paid, cancelled and undated customers, and cycles before the due date in the sheet', () => {
    expect(dueReminders(owing('2026-04-30', { balance: 0 }), '2026-04-30', OFFSETS)).toEqual([]);
    expect(dueReminders(owing('2026-04-30', { status: 'cancelado' }), '2026-04-30', OFFSETS)).toEqual([]);
    expect(dueReminders({ status: 'activo', balance: 100 }, '2026-04-30', OFFSETS)).toEqual([]);
    // Next due 15 June: the 15 May cycle is settled.
    expect(dueReminders(owing('2026-06-15'), '2026-05-15', OFFSETS)).toEqual([]);
    // Stale due date (still owing): later cycles keep reminding.
    expect(dueReminders(owing('2026-03-15'), '2026-05-15', OFFSETS)).toEqual([{ offset: 0, dueDate: '2026-05-15' }]);
  });

  it('takes "today" in the ISP time zone, not UTC', () => {
    // 05:30Z on 1 May is still 30 April in Mexico City (UTC−6) and already 1 May in Madrid.
    const instant = new Date('2026-05-01T05:30:00Z');
    expect(localDate(instant, 'America/Mexico_City')).toBe('2026-04-30');
    expect(localDate(instant, 'Europe/Madrid')).toBe('2026-05-01');
    expect(localDate(new Date('2026-03-01T03:00:00Z'), 'America/Tijuana')).toBe('2026-02-28');
  });
});

async function setup(kv: KeyValueStore, now: Date, customers: Customer[], tz = 'America/Mexico_City') {
  const cfg = config();
  cfg.isp.timezone = tz;
  const store = openLocalStore({ file: ':memory:', columnAliases: cfg.sheet.columnAliases });
  await store.upsertCustomers(customers);
  const sender = recordingSender();
  const log = openSqliteNotificationLog(':memory:');
  const deps: ReminderDeps = { config: cfg, msg: messages(), store, kv, clock: () => now, sender, log };
  return { deps, sender, log, store };
}

describe('runReminders', () => {
  it('sends the amount and the payment methods once per cycle and offset, and honours opt-out', async () => {
    const kv = createMemoryKeyValue();
    // 17:00Z = 11:00 in Mexico City, outside quiet hours; local date 2026-04-30.
    const now = new Date('2026-04-30T17:00:00Z');
    const { deps, sender, log } = await setup(kv, now, [
      customer('C1', owing('2026-03-31')),
      customer('C2', owing('2026-03-31', { balance: 0 })),
      customer('C3', owing('2026-03-31')),
    ]);
    await recordOptOut({ kv, clock: () => now }, { customerId: 'C3', key: 'whatsapp:x' });
    const first = await runReminders(deps);
    expect(first).toMatchObject({ sent: 1, optedOut: 1, alreadySent: 0 });
    expect(sender.sent[0]!.text).toContain('$450');
    expect(sender.sent[0]!.text).toContain('30 de abril');
    expect(sender.sent[0]!.text).toContain(deps.config.payments.methods[0]!);
    const again = await runReminders(deps);
    expect(again).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(sender.sent).toHaveLength(1);
    expect(await log.list()).toMatchObject([{ customerId: 'C1', campaign: 'recordatorio:0', status: 'sent' }]);
  });

  it('a reminder that went out is never sent again, even when writing the log fails', async () => {
    const kv = createMemoryKeyValue();
    const now = new Date('2026-04-30T17:00:00Z');
    const { deps, sender, log } = await setup(kv, now, [customer('C1', owing('2026-03-31'))]);
    await log.close(); // every later log write throws
    expect(await runReminders(deps)).toMatchObject({ sent: 1, failed: 0 });
    expect(await runReminders(deps)).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(sender.sent).toHaveLength(1);
  });

  it('uses the ISP time zone for the day and keeps quiet hours', async () => {
    // 05:30Z on 1 May: in Madrid it is 07:30 on 1 May (quiet until 09:00).
    const quietRun = await setup(createMemoryKeyValue(), new Date('2026-05-01T05:30:00Z'), [customer('C1', owing('2026-04-01'))], 'Europe/Madrid');
    expect(await runReminders(quietRun.deps)).toMatchObject({ quietHours: true, sent: 0 });
    // 15:00Z on 1 May is 09:00 in Mexico City: the 1 May cycle's "today" reminder goes out.
    const mx = await setup(createMemoryKeyValue(), new Date('2026-05-01T15:00:00Z'), [customer('C1', owing('2026-04-01'))]);
    expect(await runReminders(mx.deps)).toMatchObject({ sent: 1, items: [{ offset: 0, dueDate: '2026-05-01' }] });
  });

  it('releases the claim when a send fails, so the next run retries', async () => {
    const kv = createMemoryKeyValue();
    const { deps, log } = await setup(kv, new Date('2026-04-30T17:00:00Z'), [customer('C1', owing('2026-03-31'))]);
    const failing = recordingSender({ failAfter: 0 });
    expect(await runReminders({ ...deps, sender: failing })).toMatchObject({ sent: 0, failed: 1 });
    expect((await log.list())[0]).toMatchObject({ status: 'failed', error: 'simulated crash' });
    expect(await runReminders(deps)).toMatchObject({ sent: 1 });
  });
});

describe('exactly once across two instances (real Redis)', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test:outreach:${randomUUID()}:`;
  afterAll(async () => {
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('two concurrent runners send each reminder once', async () => {
    const customers = Array.from({ length: 40 }, (_, i) => customer(`C${i + 1}`, owing(i % 2 ? '2026-03-31' : '2026-04-03')));
    const now = new Date('2026-04-30T17:00:00Z');
    const kvA = createRedisKeyValue(url, { keyPrefix: prefix });
    const kvB = createRedisKeyValue(url, { keyPrefix: prefix });
    const a = await setup(kvA, now, customers);
    const b = await setup(kvB, now, customers);
    try {
      const [ra, rb] = await Promise.all([runReminders(a.deps), runReminders(b.deps)]);
      // 20 customers due 31st → 30 April (offset 0); 20 due the 3rd → 3 May is 3 days ahead (offset −3).
      expect(ra.sent + rb.sent).toBe(40);
      const ids = [...a.sender.sent, ...b.sender.sent].map((m) => `${m.customer.id}:${m.campaign}`);
      expect(new Set(ids).size).toBe(40);
      // A restart (a third run on either instance) sends nothing more.
      expect((await runReminders(a.deps)).sent).toBe(0);
    } finally {
      await Promise.all([kvA.close(), kvB.close(), a.store.close(), b.store.close()]);
    }
  });
});
