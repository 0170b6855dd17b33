import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { runCampaign } from '../../src/outreach/campaigns/runCampaign.ts';
import { createOutreachSender } from '../../src/outreach/channels/channelSender.ts';
import { chooseChannel } from '../../src/outreach/channels/choice.ts';
import { NO_TEMPLATE } from '../../src/outreach/channels/whatsappSender.ts';
import { openSqliteNotificationLog } from '../../src/outreach/notificationLog.ts';
import { likelyReason, planRetentionOffers } from '../../src/outreach/retention/offers.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/whatsapp/graphEmulator.ts';
import { config, customer, messages } from './support.ts';

const NOON_MX = new Date('2026-05-20T18:00:00Z');
const score = (kv: ReturnType<typeof createMemoryKeyValue>, id: string, s: number) => kv.set(`outreach:churn:score:${id}`, { score: s, model: 'rules', at: NOON_MX.toISOString() });

async function setup(customers: Customer[]) {
  const store = openLocalStore({ file: ':memory:' });
  await store.upsertCustomers(customers);
  const kv = createMemoryKeyValue();
  return { cfg: config(), store, kv, clock: () => NOON_MX };
}

describe('retention offers', () => {
  it('chooses an offer and a channel for each at-risk customer from the config table', async () => {
    const { cfg, store, kv, clock } = await setup([
      customer('A', { signupDate: '2024-01-10', balance: 399, dueDate: '2026-05-01' }),
      customer('B', { signupDate: '2026-01-10', phone: '', telegramId: '777' }),
      customer('C', { signupDate: '2024-01-10', phone: '' }),
      customer('D', { signupDate: '2024-01-10' }),
    ]);
    await store.createIncident({ type: 'falla', priority: 'alta', customerId: 'B', zone: 'Centro', description: 'sin internet' } as never);
    for (const [id, s] of [['A', 0.9], ['B', 0.7], ['C', 0.6], ['D', 0.2]] as const) await score(kv, id, s);
    const rows = await planRetentionOffers({ config: cfg, store, kv, clock }, { whatsapp: true, telegram: true });
    expect(rows.map((r) => [r.customer.id, r.facts.reason, r.offer, r.channel])).toEqual([
      ['A', 'precio', '20 % de descuento durante 3 meses', 'whatsapp'],
      ['B', 'fallas', 'Visita técnica prioritaria sin costo y un mes con 30 % de descuento', 'telegram'],
      ['C', 'otro', 'Un mes con 50 % de descuento', 'none'],
    ]);
    expect(rows[0]!.facts).toMatchObject({ tenureMonths: 28, planMbps: 50, overdue: true });
  });

  it('picks WhatsApp only when configured, and infers the reason from the churn features', () => {
    expect(chooseChannel({ phone: '525510001000', telegramId: '1' }, { whatsapp: false, telegram: true })).toBe('telegram');
    expect(chooseChannel({ phone: '525510001000' }, { whatsapp: false, telegram: true })).toBe('none');
    expect(likelyReason({ ticketsLast90: 0, altaLast90: 0, overdueDays: 0, tenureMonths: 3, planChanges: 0, cancelOrHumano: 0, massOutages90: 1 })).toBe('fallas');
  });

  it('a retencion campaign message carries the offer', async () => {
    const { cfg, store, kv, clock } = await setup([customer('A', { signupDate: '2024-01-10', balance: 399, dueDate: '2026-05-01', name: 'Ana Ruiz' })]);
    await score(kv, 'A', 0.9);
    const log = openSqliteNotificationLog(':memory:');
    const run = await runCampaign({ config: cfg, msg: messages(), store, kv, clock, log, sender: { kind: 'x', send: async () => ({ channel: 'console' }) } }, { campaign: 'retencion', dryRun: true });
    expect(run.planned[0]!.text).toContain('Hola Ana');
    expect(run.planned[0]!.text).toContain('20 % de descuento durante 3 meses');
  });
});

describe('sending over Telegram and WhatsApp (emulators)', () => {
  let tg: TelegramEmulator;
  let wa: GraphEmulator;
  beforeAll(async () => {
    tg = await startTelegramEmulator();
    wa = await startGraphEmulator({ accessToken: 'wa-token', phoneNumberId: '1055' });
  });
  afterAll(async () => {
    await tg?.close();
    await wa?.close();
  });

  it('one campaign run delivers to both channels, records provider ids, and records the out-of-window customer as failed', async () => {
    const user = { id: 4242, first_name: 'Beto' };
    tg.openChat(user);
    const inWindow = customer('W', { signupDate: '2024-01-10', phone: '525510001001' });
    const outWindow = customer('X', { signupDate: '2024-01-10', phone: '525510001002' });
    const onTelegram = customer('T', { signupDate: '2024-01-10', phone: '', telegramId: String(user.id) });
    const { cfg, store, kv, clock } = await setup([inWindow, outWindow, onTelegram]);
    await kv.set('wa:window:525510001001', Date.now() - 60_000, 3_600_000);
    const env = parseEnv({
      TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot,
      WHATSAPP_ACCESS_TOKEN: 'wa-token', WHATSAPP_PHONE_NUMBER_ID: '1055', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_GRAPH_URL: wa.url,
    });
    const built = (await createOutreachSender({ env, config: cfg, kv, logger: pino({ level: 'silent' }) }))!;
    const log = openSqliteNotificationLog(':memory:');
    try {
      const run = await runCampaign({ config: cfg, msg: messages(), store, kv, clock, log, sender: built.sender }, { campaign: 'general' });
      expect(run).toMatchObject({ targeted: 3, sent: 2, failed: 1 });
    } finally {
      await built.close();
    }
    expect(wa.sentTo('525510001001')).toHaveLength(1);
    expect(wa.sentTo('525510001002')).toHaveLength(0);
    expect(tg.botMessagesIn(user.id)).toHaveLength(1);
    const entries = await log.list({ campaign: 'general' });
    const byId = new Map(entries.map((e) => [e.customerId, e]));
    expect(byId.get('W')).toMatchObject({ channel: 'whatsapp', status: 'sent', providerMessageId: wa.sentTo('525510001001')[0]!.wamid });
    expect(byId.get('T')).toMatchObject({ channel: 'telegram', status: 'sent', providerMessageId: `tg:${user.id}:${tg.botMessagesIn(user.id)[0]!.messageId}` });
    expect(byId.get('X')).toMatchObject({ channel: 'whatsapp', status: 'failed', error: NO_TEMPLATE });
  });

  it('outside the window an approved outreach template is used', async () => {
    const c = customer('Y', { signupDate: '2024-01-10', phone: '525510001003' });
    const { cfg, store, kv, clock } = await setup([c]);
    cfg.whatsapp.templates.outreach = 'aviso_clientes';
    const env = parseEnv({ WHATSAPP_ACCESS_TOKEN: 'wa-token', WHATSAPP_PHONE_NUMBER_ID: '1055', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_GRAPH_URL: wa.url });
    const built = (await createOutreachSender({ env, config: cfg, kv, logger: pino({ level: 'silent' }) }))!;
    const log = openSqliteNotificationLog(':memory:');
    try {
      expect(await runCampaign({ config: cfg, msg: messages(), store, kv, clock, log, sender: built.sender }, { campaign: 'general' })).toMatchObject({ sent: 1 });
    } finally {
      await built.close();
    }
    const [sent] = wa.sentTo('525510001003');
    expect(sent!.type).toBe('template');
    expect((await log.list())[0]).toMatchObject({ status: 'sent', providerMessageId: sent!.wamid });
  });
});
