/**
 * Outbound send budgets shared by every instance on one Redis (real redis-server at REDIS_URL,
 * default 127.0.0.1:6379): two Telegram channels of the same bot, each built the way the app builds
 * it, send staff alerts through the real grammY client to the Bot API emulator. What the emulator
 * received, and when, shows the combined rate. Budgets are small so the bursts stay short; the
 * assertions count messages within windows with slack and never bound how fast anything runs.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChannel } from '../../../src/channels/channel.ts';
import { createTelegramChannel, type TelegramTuning } from '../../../src/channels/telegram/index.ts';
import { parseEnv } from '../../../src/config/env.ts';
import { loadMessages } from '../../../src/config/messages.ts';
import type { StaffAlert } from '../../../src/notify/notifier.ts';
import { createMetrics } from '../../../src/metrics/metrics.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { sample } from '../../scale/scaleStack.ts';
import { shippedConfig } from '../../support/harness.ts';
import { deleteKeysByPrefix } from '../../support/redis.ts';
import { startTestbed } from './testbed.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messagesDir = fileURLToPath(new URL('../../../config/messages', import.meta.url));
const messages = loadMessages(messagesDir);
const prefix = `test:tg-send:${process.pid}:${Date.now()}`;

let emu: TelegramEmulator;
let admin: Redis;
let channels: ServerChannel[] = [];
let run = 0;

beforeAll(async () => {
  emu = await TelegramEmulator.start();
  admin = new Redis(REDIS_URL);
});
afterEach(async () => {
  await Promise.all(channels.map((c) => c.stop()));
  channels = [];
});
afterAll(async () => {
  await deleteKeysByPrefix(admin, prefix);
  await admin.quit();
  await emu.close();
});

const staffUser = (n: number): TgUser => ({ id: 700_000 + n, first_name: `Staff ${n}` });

/** One instance of the bot: its own channel (own grammY client and limiter), the shared Redis. */
function instance(staff: TgUser[], tuning: Partial<TelegramTuning>, options: { redis?: boolean; keyPrefix: string }): ServerChannel {
  const config = shippedConfig();
  config.staff.telegramIds = staff.map((u) => String(u.id));
  config.staff.telegramGroupId = null;
  const env = parseEnv({
    DATA_DIR: '/nonexistent',
    MESSAGES_DIR: messagesDir,
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    ...(options.redis === false ? {} : { REDIS_URL }),
  });
  const channel = createTelegramChannel({ env, config, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) }, { tuning: { limiterKeyPrefix: options.keyPrefix, ...tuning }, messages });
  channels.push(channel);
  return channel;
}

const alert = (text: string): StaffAlert => ({ kind: 'falla_masiva', text, ref: 'F-000001', at: new Date().toISOString() });

async function raise(channel: ServerChannel, texts: string[]): Promise<void> {
  await Promise.all(texts.map((t) => channel.notifier!.notifyStaff(alert(t))));
}

const drain = (channel: ServerChannel): Promise<void> => (channel.notifier as unknown as { drain(): Promise<void> }).drain();

/** Receipt times (emulator clock, ms) of the bot's messages in these chats, sorted. */
function receivedAt(chats: readonly TgUser[], since: number): number[] {
  return chats.flatMap((u) => emu.botMessagesIn(u.id).filter((m) => m.at >= since).map((m) => m.at)).sort((a, b) => a - b);
}

/** The most messages received in any window of `windowMs` that starts at a message. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i]! && t < times[i]! + windowMs).length);
  return most;
}

/** Polls `check` every 20 ms until it holds (10 s at most). */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Telegram send budgets shared by two instances on one Redis', () => {
  it('a burst to one chat from both instances goes out at about one message per second in total', async () => {
    const chat = staffUser(1);
    emu.openChat(chat);
    const keyPrefix = `${prefix}:${++run}`;
    const tuning = { perChatPerSecond: 1, globalPerSecond: 30 };
    const a = instance([chat], tuning, { keyPrefix });
    const b = instance([chat], tuning, { keyPrefix });
    const since = Date.now();
    const sent = ['A1', 'A2', 'A3', 'A4'].map((t) => `Alerta ${t}`);
    const sentB = ['B1', 'B2', 'B3', 'B4'].map((t) => `Alerta ${t}`);
    await Promise.all([raise(a, sent), raise(b, sentB)]);
    await Promise.all([drain(a), drain(b)]);

    // Nothing dropped, nothing doubled.
    const texts = emu.botMessagesIn(chat.id).filter((m) => m.at >= since).map((m) => m.message.text);
    expect([...texts].sort()).toEqual([...sent, ...sentB].sort());
    // Each instance's alerts in the order it raised them.
    expect(texts.filter((t) => t?.startsWith('Alerta A'))).toEqual(sent);
    expect(texts.filter((t) => t?.startsWith('Alerta B'))).toEqual(sentB);

    const times = receivedAt([chat], since);
    // Budget 1 per second for both together (slack: one message for the time between a send
    // leaving and the emulator receiving it). Two separate budgets would put 2 in most seconds.
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(2);
    // 8 messages at 1 per second span at least 7 windows; with separate budgets about 3.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5500);
  }, 60_000);

  it('a burst over many chats from both instances stays within the global budget', async () => {
    const chats = Array.from({ length: 15 }, (_, i) => staffUser(100 + i));
    for (const c of chats) emu.openChat(c);
    const keyPrefix = `${prefix}:${++run}`;
    const tuning = { perChatPerSecond: 0, globalPerSecond: 5 };
    const a = instance(chats, tuning, { keyPrefix });
    const b = instance(chats, tuning, { keyPrefix });
    const since = Date.now();
    // Each alert goes to all 15 staff chats: 30 messages in all, 2 per chat.
    await Promise.all([raise(a, ['Corte en zona Norte']), raise(b, ['Corte en zona Sur'])]);
    await Promise.all([drain(a), drain(b)]);

    for (const c of chats) expect(emu.botMessagesIn(c.id).filter((m) => m.at >= since).map((m) => m.message.text).sort()).toEqual(['Corte en zona Norte', 'Corte en zona Sur']);
    const times = receivedAt(chats, since);
    expect(times).toHaveLength(30);
    // 5 per second in total; slack of one window's worth for windows that are not aligned with ours.
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(10);
    // 30 messages at 5 per second fill 6 windows (≥ 5 s from first to last); separate budgets, 3.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(4000);
  }, 60_000);
});

describe('Telegram 429 (retry_after)', () => {
  it('is retried after retry_after and the message arrives once', async () => {
    const chat = staffUser(200);
    emu.openChat(chat);
    const a = instance([chat], { perChatPerSecond: 1 }, { keyPrefix: `${prefix}:${++run}`, redis: false });
    const before = emu.callsOf('sendMessage').length;
    emu.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    await raise(a, ['Aviso uno']);
    await drain(a);
    const calls = emu.callsOf('sendMessage').slice(before);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(emu.botMessagesIn(chat.id).map((m) => m.message.text)).toEqual(['Aviso uno']);
  }, 30_000);

  it('holds that chat on the other instance too for retry_after, then both messages arrive once', async () => {
    const chat = staffUser(201);
    emu.openChat(chat);
    const keyPrefix = `${prefix}:${++run}`;
    const a = instance([chat], { perChatPerSecond: 1 }, { keyPrefix });
    const b = instance([chat], { perChatPerSecond: 1 }, { keyPrefix });
    const before = emu.callsOf('sendMessage').length;
    emu.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    await raise(a, ['Aviso de A']);
    const limited = await emu.waitFor(() => emu.callsOf('sendMessage').slice(before).find((c) => c.status === 429), 'the 429');
    // Let A record the hold in Redis before B sends (B's budget would otherwise let it through).
    await until(async () => (await admin.keys(`${keyPrefix}:*:chat:${chat.id}`)).length > 0 && (await admin.pttl((await admin.keys(`${keyPrefix}:*:chat:${chat.id}`))[0]!)) > 1500);
    await raise(b, ['Aviso de B']);
    await Promise.all([drain(a), drain(b)]);
    const received = emu.botMessagesIn(chat.id);
    expect(received.map((m) => m.message.text).sort()).toEqual(['Aviso de A', 'Aviso de B']);
    // B waited for the hold (3 s from the 429) rather than sending into it.
    const fromB = received.find((m) => m.message.text === 'Aviso de B')!;
    expect(fromB.at - limited.at).toBeGreaterThanOrEqual(2000);
    expect(emu.callsOf('sendMessage').slice(before).filter((c) => c.status === 429)).toHaveLength(1);
  }, 30_000);
});

describe('Telegram sends on /metrics', () => {
  it('counts the messages sent and the ones Telegram refused, by error code', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const tb = await startTestbed({ emulator: emu, metrics });
    try {
      const user = tb.user({ id: 555_001, first_name: 'Ana' });
      const before = emu.callsOf('sendMessage').filter((c) => c.status === 200).length;
      expect((await user.say('hola')).length).toBeGreaterThan(0);
      emu.failNext('sendMessage', { error_code: 400, description: 'Bad Request: message text is empty' });
      emu.sendText({ id: 555_001, first_name: 'Ana' }, 'qué planes tienen');
      await emu.waitFor(() => emu.callsOf('sendMessage').some((c) => c.status === 400) || undefined, 'the refused send');
      await emu.waitFor(() => tb.turns.length >= 2 || undefined, 'the second turn');
      const delivered = (): number => emu.callsOf('sendMessage').filter((c) => c.status === 200).length - before;
      await eventuallyScraped(async () => {
        const text = await metrics.scrape();
        expect(sample(text, 'isp_send_errors_total', { channel: 'telegram', code: '400' })).toBe(1);
        expect(sample(text, 'isp_sends_total', { channel: 'telegram' })).toBe(delivered());
      });
    } finally {
      await tb.close();
    }
  }, 30_000);
});

async function eventuallyScraped(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
