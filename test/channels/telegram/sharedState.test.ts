import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisKeyValue } from '../../../src/state/redisKeyValue.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { customer } from '../../support/harness.ts';
import { startTestbed, texts, type Testbed } from './testbed.ts';
import { redisRunPrefix } from '../../support/redis.ts';

/** State on the real Redis (REDIS_URL, default 127.0.0.1:6379): what survives a restart and what instances share. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ana = customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur' });
const user: TgUser = { id: 777, first_name: 'Ana' };
const SECRET = 'shared-secret';

const runPrefix = `${redisRunPrefix('isp-test-tg')}:`;
let emu: TelegramEmulator | undefined;
const open: Testbed[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  await emu?.close();
  emu = undefined;
});

const redisKv = (prefix: string) => createRedisKeyValue(REDIS_URL, { keyPrefix: prefix });

describe('telegram channel on shared state (Redis)', () => {
  it('a contact link survives a restart of the bot', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const first = await startTestbed({ emulator: emu, customers: [ana], kv: redisKv(prefix) });
    await first.user(user).say('mi servicio');
    expect(texts(await first.user(user).shareContact('525512345678'))).toMatch(/Este es tu servicio, Ana/);
    await first.close();

    const second = await startTestbed({ emulator: emu, customers: [ana], kv: redisKv(prefix) });
    open.push(second);
    expect(texts(await second.user(user).say('mi servicio'))).toMatch(/Este es tu servicio, Ana/);
  });

  it('two webhook instances receiving the same update answer it once', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const options = { mode: 'webhook' as const, emulator: emu, env: { TELEGRAM_WEBHOOK_SECRET: SECRET } };
    const a = await startTestbed({ ...options, kv: redisKv(prefix) });
    open.push(a);
    const b = await startTestbed({ ...options, kv: redisKv(prefix) });
    open.push(b);
    emu.openChat(user);
    const update = {
      update_id: 31337,
      message: { message_id: 1, date: 1, chat: { id: user.id, type: 'private', first_name: 'Ana' }, from: { id: user.id, is_bot: false, first_name: 'Ana' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
    };
    const post = (base: string) =>
      fetch(`${base}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(update) });
    const statuses = await Promise.all([post(a.baseUrl), post(b.baseUrl)]).then((r) => r.map((x) => x.status));
    expect(statuses).toEqual([200, 200]);
    await emu.waitFor(() => emu?.botMessagesIn(user.id)[0], 'the reply');
    // Flush: a later message (delivered to b, whose setWebhook came last) is answered after anything the duplicate could cause.
    expect(emu.state.webhook?.url).toBe(`${b.baseUrl}/telegram/webhook`);
    await b.user(user).say('/menu');
    expect(emu.botMessagesIn(user.id).filter((m) => /¡Hola Ana!/.test(m.message.text ?? ''))).toHaveLength(1);
    expect(a.turns.length + b.turns.length).toBe(2);
  });
});
