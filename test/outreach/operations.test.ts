/**
 * Outreach while the server runs and for the staff: the reminder scheduler (periodic, exactly once
 * across two instances on real Redis), the /metrics series read from the notification log (SQLite
 * and KV), and the staff-call list for customers no configured channel reaches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../../src/cli/boot.ts';
import { runOutreachCalls, runOutreachCampaign } from '../../src/cli/outreachCommand.ts';
import { parseEnv } from '../../src/config/env.ts';
import { runCampaign } from '../../src/outreach/campaigns/runCampaign.ts';
import { createChannelSender } from '../../src/outreach/channels/channelSender.ts';
import { createTelegramOutreach } from '../../src/outreach/channels/telegramSender.ts';
import { startTelegramEmulator } from '../emulators/telegram/index.ts';
import { createKvNotificationLog, openSqliteNotificationLog, type NotificationLog } from '../../src/outreach/notificationLog.ts';
import { registerOutreachMetrics } from '../../src/outreach/outreachMetrics.ts';
import { startReminderScheduler } from '../../src/outreach/reminderScheduler.ts';
import type { ReminderRun } from '../../src/outreach/reminders.ts';
import { planStaffCalls } from '../../src/outreach/staffCalls.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { deleteKeysByPrefix } from '../support/redis.ts';
import { config, customer, messages, recordingSender } from './support.ts';
import { tempDirs } from '../support/tempDirs.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tempDir = tempDirs('outreach-calls-');

describe('the reminder scheduler', () => {
  it('runs the pass periodically on two instances; each reminder goes out once', async () => {
    const prefix = `test:sched:${process.pid}:${Date.now()}:`;
    const cfg = config();
    cfg.outreach.quietHours = { start: '00:00', end: '00:00' };
    // Noon in Mexico City on 2026-03-10, advancing with real time so periods change.
    const base = Date.parse('2026-03-10T18:00:00Z');
    const started = Date.now();
    const clock = () => new Date(base + (Date.now() - started));
    const store = openLocalStore({ file: ':memory:' });
    const due = (id: string) => customer(id, { dueDate: '2026-03-10', balance: 450 });
    await store.upsertCustomers([due('A'), due('B'), due('C')]);
    const kvA = createRedisKeyValue(url, { keyPrefix: prefix });
    const kvB = createRedisKeyValue(url, { keyPrefix: prefix });
    const senders = [recordingSender(), recordingSender()];
    const passes: (ReminderRun | undefined)[][] = [[], []];
    const stops = [kvA, kvB].map((kv, i) =>
      startReminderScheduler({
        deps: { config: cfg, msg: messages(), store, kv, clock, sender: senders[i]!, log: openSqliteNotificationLog(':memory:') },
        everyMs: 150,
        firstDelayMs: 0,
        onPass: (run) => passes[i]!.push(run),
      }),
    );
    const sentIds = () => senders.flatMap((s) => s.sent.map((m) => m.customer.id)).sort();
    await vi.waitFor(() => expect(sentIds()).toEqual(['A', 'B', 'C']), { timeout: 20_000, interval: 50 });
    // A customer who falls due later is picked up by a later pass.
    await store.upsertCustomers([due('D')]);
    await vi.waitFor(() => expect(sentIds()).toContain('D'), { timeout: 20_000, interval: 50 });
    await vi.waitFor(() => expect(passes.every((p) => p.length >= 3)).toBe(true), { timeout: 20_000, interval: 50 });
    await Promise.all(stops.map((stop) => stop()));
    const after = passes.map((p) => p.length);
    expect(sentIds()).toEqual(['A', 'B', 'C', 'D']);
    // Passes that ran (not skipped as another instance's period) found the rest already claimed.
    expect(passes.flat().filter((r) => r !== undefined).length).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 400));
    expect(passes.map((p) => p.length)).toEqual(after); // stopped means stopped
    const redis = new Redis(url);
    await deleteKeysByPrefix(redis, prefix);
    redis.disconnect();
    await Promise.all([kvA.close(), kvB.close(), store.close()]);
  }, 60_000);

  it('is off with everyMinutes 0', async () => {
    const cfg = config();
    cfg.outreach.reminders.everyMinutes = 0;
    const sender = recordingSender();
    const stop = startReminderScheduler({ deps: { config: cfg, msg: messages(), store: openLocalStore({ file: ':memory:' }), kv: createMemoryKeyValue(), clock: () => new Date(), sender, log: openSqliteNotificationLog(':memory:') } });
    await stop();
    expect(sender.sent).toEqual([]);
  });
});

describe('isp_outreach_messages on /metrics', () => {
  const logs: [string, () => NotificationLog][] = [
    ['SQLite', () => openSqliteNotificationLog(':memory:')],
    ['KV', () => createKvNotificationLog(createMemoryKeyValue())],
  ];
  for (const [name, open] of logs) {
    it(`counts messages by channel, kind, campaign and current status (${name} log)`, async () => {
      const log = open();
      const registry = new Registry();
      registerOutreachMetrics(registry, log);
      await log.record({ customerId: 'A', channel: 'whatsapp', campaign: 'general', content: 'x', providerMessageId: 'w1', status: 'sent' });
      await log.record({ customerId: 'B', channel: 'whatsapp', campaign: 'general', content: 'x', providerMessageId: 'w2', status: 'sent' });
      await log.record({ customerId: 'C', channel: 'telegram', campaign: 'recordatorio:-3', content: 'x', providerMessageId: 't1', status: 'sent' });
      await log.record({ customerId: 'D', channel: 'whatsapp', campaign: 'recordatorio:0', content: 'x', status: 'failed', error: 'no template' });
      await log.updateStatus('w1', 'delivered');
      await log.updateStatus('w1', 'read');
      await log.updateStatus('w1', 'delivered'); // late, ignored
      const text = await registry.metrics();
      expect(text).toContain('# TYPE isp_outreach_messages gauge');
      expect(text).toContain('isp_outreach_messages{channel="whatsapp",kind="campaign",campaign="general",status="read"} 1');
      expect(text).toContain('isp_outreach_messages{channel="whatsapp",kind="campaign",campaign="general",status="sent"} 1');
      expect(text).toContain('isp_outreach_messages{channel="telegram",kind="reminder",campaign="recordatorio:-3",status="sent"} 1');
      expect(text).toContain('isp_outreach_messages{channel="whatsapp",kind="reminder",campaign="recordatorio:0",status="failed"} 1');
      expect(text).not.toMatch(/status="delivered"\} [1-9]/);
      await log.close();
    });
  }
});

describe('the staff-call list', () => {
  const NOON_MX = new Date('2026-03-10T18:00:00Z');
  const customers = () => [
    customer('A', { name: 'Ana Tg', dueDate: '2026-03-10', balance: 450, telegramId: '111' }),
    customer('B', { name: 'Beto Sin Canal', dueDate: '2026-03-10', balance: 450 }),
    customer('C', { name: 'Caro Riesgo', signupDate: '2025-01-10' }),
    customer('D', { name: 'Dani Al Corriente', signupDate: '2025-01-10' }),
  ];

  it('lists customers due a reminder or an offer that no channel reaches; campaigns skip them', async () => {
    const cfg = config();
    cfg.outreach.quietHours = { start: '00:00', end: '00:00' };
    const store = openLocalStore({ file: ':memory:' });
    await store.upsertCustomers(customers());
    const kv = createMemoryKeyValue();
    await kv.set('outreach:churn:score:C', { score: 0.9, model: 'rules', at: NOON_MX.toISOString() });
    const calls = await planStaffCalls({ config: cfg, store, kv, clock: () => NOON_MX }, { whatsapp: false, telegram: true });
    expect(calls.map((c) => [c.customer.id, c.reason])).toEqual([['B', 'recordatorio'], ['C', 'oferta']]);
    expect(calls[0]!.detail).toBe('$450, vence hoy');

    // A campaign run over Telegram only sends to A and lists the others for a call (nothing claimed, nothing logged).
    const tg = await startTelegramEmulator();
    tg.openChat({ id: 111, first_name: 'Ana' });
    const telegram = createTelegramOutreach({ token: tg.token, apiRoot: tg.apiRoot });
    const log = openSqliteNotificationLog(':memory:');
    const run = await runCampaign({ config: cfg, msg: messages(), store, kv, clock: () => NOON_MX, sender: createChannelSender({ telegram }), log }, { campaign: 'general' }).finally(async () => {
      await telegram.close();
      await tg.close();
    });
    expect(run).toMatchObject({ targeted: 4, sent: 1 });
    expect(run.staffCalls.map((p) => p.customer.id)).toEqual(['B', 'C', 'D']);
    expect((await log.list()).map((e) => e.customerId)).toEqual(['A']);
  });

  it('launcher outreach calls prints the list and writes the CSV', async () => {
    const dir = tempDir();
    const store = openLocalStore({ file: join(dir, 'isp.db') });
    await store.upsertCustomers(customers().map((c) => ({ ...c, dueDate: c.dueDate ? new Date().toISOString().slice(0, 10) : undefined })).filter((c) => c.id !== 'C'));
    await store.close();
    const cfg = config();
    cfg.isp.timezone = 'UTC';
    const runtime: Runtime = { env: parseEnv({ DATA_DIR: dir, MESSAGES_DIR: 'config/messages' }), config: cfg, logger: pino({ level: 'silent' }) };
    let text = '';
    const csv = join(dir, 'llamadas', 'hoy.csv');
    await runOutreachCalls(runtime, { csv }, { write: (s: string) => ((text += s), true) });
    // No channel configured at all: both customers due a reminder get a call.
    expect(text).toMatch(/^A Ana Tg\t\d+\tCentro\trecordatorio\t\$450, vence hoy$/m);
    expect(text).toContain('llamadas: 2');
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('ID,Nombre,Teléfono,Zona,Motivo,Detalle');
    expect(readFileSync(csv, 'utf8')).toContain('B,Beto Sin Canal,');
    // The console rehearsal of a campaign reaches everyone: no staff calls there.
    let run = '';
    await runOutreachCampaign(runtime, { campaign: 'general', dryRun: true }, { write: (s: string) => ((run += s), true) });
    expect(run).toMatch(/"staffCalls":0/);
  });
});
