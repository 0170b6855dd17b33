import { afterAll, describe, expect, it } from 'vitest';
import { campaignQueue } from '../../src/outreach/campaigns/campaignQueue.ts';
import { Redis } from 'ioredis';
import { deleteKeysByPrefix } from '../support/redis.ts';
import { profileOf } from '../../src/outreach/campaigns/profiles.ts';
import { CampaignError, runCampaign, type CampaignDeps } from '../../src/outreach/campaigns/runCampaign.ts';
import { openSqliteNotificationLog } from '../../src/outreach/notificationLog.ts';
import { isOptOutMessage, recordOptOut } from '../../src/outreach/optOut.ts';
import type { Customer, Incident } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { config, customer, messages, recordingSender } from './support.ts';

const NOON_MX = new Date('2026-05-20T18:00:00Z');

async function setup(customers: Customer[], now = NOON_MX) {
  const cfg = config();
  const store = openLocalStore({ file: ':memory:' });
  await store.upsertCustomers(customers);
  const kv = createMemoryKeyValue();
  const sender = recordingSender();
  const log = openSqliteNotificationLog(':memory:');
  const deps: CampaignDeps = { config: cfg, msg: messages(), store, kv, clock: () => now, sender, log };
  return { deps, sender, kv, log };
}

const many = (n: number) => Array.from({ length: n }, (_, i) => customer(`C${i + 1}`, { signupDate: '2023-01-15' }));

describe('profiles', () => {
  const cfg = config();
  const today = '2026-05-20';
  it('picks the first matching profile', () => {
    expect(profileOf(cfg, customer('A', { signupDate: '2026-05-10' }), { today, incidents: [] })).toBe('primera_instalacion');
    expect(profileOf(cfg, customer('A', { signupDate: '2026-02-10' }), { today, incidents: [] })).toBe('nuevo');
    expect(profileOf(cfg, customer('A', { signupDate: '2026-02-10' }), { today, incidents: [], churnScore: 0.9 })).toBe('en_riesgo');
    const old: Incident = { folio: 'F1', createdAt: '2025-11-01T10:00:00Z', updatedAt: '', type: 'cancelacion', status: 'cerrado', priority: 'media', customerId: 'A' };
    expect(profileOf(cfg, customer('A', { signupDate: '2024-01-10' }), { today, incidents: [old] })).toBe('reactivado');
    expect(profileOf(cfg, customer('A', { signupDate: '2025-01-10', price: 600 }), { today, incidents: [] })).toBe('vip');
    expect(profileOf(cfg, customer('A', { signupDate: '2025-01-10' }), { today, incidents: [] })).toBe('recurrente');
  });
});

describe('opt-out words', () => {
  it('recognises BAJA, STOP and plain requests, not a service cancellation', () => {
    for (const t of ['BAJA', 'Stop', 'stop.', 'no me manden mensajes', 'Ya no me manden nada por favor', 'dejen de enviarme', 'no quiero recibir más mensajes']) expect(isOptOutMessage(t), t).toBe(true);
    for (const t of ['quiero cancelar mi servicio', 'mi internet está muy lento', 'no me llegan los mensajes del banco', '']) expect(isOptOutMessage(t), t).toBe(false);
  });
});

describe('runCampaign', () => {
  it('sends a profile-aware es-MX message once per customer and logs it', async () => {
    const { deps, sender, log } = await setup([customer('A', { signupDate: '2026-05-10', name: 'Ana López' }), customer('B', { signupDate: '2024-01-10', status: 'cancelado' })]);
    const run = await runCampaign(deps, { campaign: 'general' });
    expect(run).toMatchObject({ targeted: 1, sent: 1 });
    expect(sender.sent[0]!.text).toMatch(/^¡Bienvenido a .+, Ana!/);
    expect(await log.list({ campaign: 'general' })).toMatchObject([{ customerId: 'A', status: 'sent', providerMessageId: 'wamid.1.A' }]);
    expect(await runCampaign(deps, { campaign: 'general' })).toMatchObject({ sent: 0, alreadySent: 1 });
  });

  it('resumes after a crash mid-campaign without duplicates', async () => {
    const { deps, sender } = await setup(many(25));
    const crash = new AbortController();
    const crashing = { ...sender, send: async (m: Parameters<typeof sender.send>[0]) => {
      const r = await sender.send(m);
      if (sender.sent.length === 10) crash.abort();
      return r;
    } };
    const first = await runCampaign({ ...deps, sender: crashing }, { campaign: 'general', signal: crash.signal });
    expect(first).toMatchObject({ sent: 10, aborted: true });
    const second = await runCampaign(deps, { campaign: 'general' });
    expect(second).toMatchObject({ sent: 15, alreadySent: 10 });
    const ids = sender.sent.map((m) => m.customer.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
  });

  it('two runners of the same campaign at once send each customer once', async () => {
    const { deps, sender } = await setup(many(30));
    const other = recordingSender();
    await Promise.all([runCampaign(deps, { campaign: 'general' }), runCampaign({ ...deps, sender: other }, { campaign: 'general' })]);
    const ids = [...sender.sent, ...other.sent].map((m) => m.customer.id);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(30);
  });

  it('a failed send is retried by the next run', async () => {
    const { deps, sender } = await setup(many(3));
    expect(await runCampaign({ ...deps, sender: recordingSender({ failAfter: 1 }) }, { campaign: 'general' })).toMatchObject({ sent: 1, failed: 2 });
    expect(await runCampaign(deps, { campaign: 'general' })).toMatchObject({ sent: 2, alreadySent: 1 });
    expect(sender.sent).toHaveLength(2);
  });

  it('opt-out stops the next campaign, and every later one', async () => {
    const { deps, sender, kv } = await setup(many(3));
    await recordOptOut({ kv, clock: deps.clock }, { customerId: 'C2', key: 'whatsapp:52155' });
    expect(await runCampaign(deps, { campaign: 'general' })).toMatchObject({ sent: 2, optedOut: 1 });
    expect(await runCampaign(deps, { campaign: 'bienvenida' })).toMatchObject({ sent: 0 });
    expect(sender.sent.map((m) => m.customer.id)).toEqual(['C1', 'C3']);
  });

  it('keeps quiet hours, filters by profile and segment, previews without sending', async () => {
    const night = await setup(many(2), new Date('2026-05-20T05:00:00Z')); // 23:00 in Mexico City
    expect(await runCampaign(night.deps, { campaign: 'general' })).toMatchObject({ quietHours: true, sent: 0 });
    expect(night.sender.sent).toHaveLength(0);
    const { deps, sender } = await setup([customer('N', { signupDate: '2026-05-15' }), customer('R', { signupDate: '2023-05-15' })]);
    const preview = await runCampaign(deps, { campaign: 'bienvenida', dryRun: true });
    expect(preview.planned.map((p) => [p.customer.id, p.profile])).toEqual([['N', 'primera_instalacion']]);
    expect(sender.sent).toHaveLength(0);
    const seg = await runCampaign(deps, { campaign: 'general', segment: 'Leales', segments: new Map([['R', 'Leales'], ['N', 'Nuevos']]) });
    expect(sender.sent.map((m) => m.customer.id)).toEqual(['R']);
    expect(seg.sent).toBe(1);
    await expect(runCampaign(deps, { campaign: 'nope' })).rejects.toThrow(CampaignError);
  });
});

describe('campaign sends through the BullMQ queue (real Redis)', () => {
  const prefixes: string[] = [];
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  afterAll(async () => {
    const redis = new Redis(redisUrl);
    for (const p of prefixes) await deleteKeysByPrefix(redis, p);
    redis.disconnect();
  });
  const queue = (concurrency = 4) => {
    const prefix = `test:campaign-queue:${process.pid}:${Date.now()}:${prefixes.length}`;
    prefixes.push(prefix);
    return { prefix, dispatch: campaignQueue({ redisUrl, prefix, concurrency, lockMs: 2_000 }) };
  };

  it('one job per campaign × customer: a run stopped half-way and the next one send each customer once', async () => {
    const { deps, sender } = await setup(many(40));
    const { dispatch } = queue();
    const crash = new AbortController();
    const origSend = sender.send.bind(sender);
    sender.send = async (m) => {
      const r = await origSend(m);
      if (sender.sent.length === 12) crash.abort();
      return r;
    };
    const first = await runCampaign(deps, { campaign: 'general', dispatch, signal: crash.signal });
    expect(first.aborted).toBe(true);
    expect(sender.sent.length).toBeGreaterThanOrEqual(12);
    expect(sender.sent.length).toBeLessThan(40);
    const second = await runCampaign(deps, { campaign: 'general', dispatch });
    expect(second.aborted).toBe(false);
    const ids = sender.sent.map((m) => m.customer.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(many(40).map((c) => c.id).sort());
  }, 60_000);

  it('two runners of the same campaign share its jobs and send each customer once', async () => {
    const { deps, sender } = await setup(many(30));
    const { dispatch } = queue();
    const [a, b] = await Promise.all([runCampaign(deps, { campaign: 'general', dispatch }), runCampaign(deps, { campaign: 'general', dispatch })]);
    expect(a.sent + b.sent).toBe(30);
    const ids = sender.sent.map((m) => m.customer.id);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(30);
  }, 60_000);
});
