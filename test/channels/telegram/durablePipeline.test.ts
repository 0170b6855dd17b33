import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { textMessages } from '../../../src/channels/telegram/renderReplies.ts';
import { createRedisPipeline } from '../../../src/queue/redisPipeline.ts';
import { createRedisKeyValue } from '../../../src/state/redisKeyValue.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { capturingLogger } from '../../support/capturingLogger.ts';
import { redisRunPrefix } from '../../support/redis.ts';
import { startTestbed, texts, type ObservedTurn, type Testbed, type TestbedOptions } from './testbed.ts';

/**
 * The Telegram channel on the durable inbound pipeline (BullMQ + per-conversation inbox on the real
 * Redis at REDIS_URL, default 127.0.0.1:6379): updates are acknowledged only once queued, turns run
 * in any instance one at a time per chat, each reply goes out once.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = redisRunPrefix('isp-test-tgq');
const SECRET = 'queue-secret';

let emu: TelegramEmulator | undefined;
const open: Testbed[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  await emu?.close();
  emu = undefined;
});
/** One Redis namespace per test: the state store's keys and the queue's keys. */
function namespace(): { kvPrefix: string; queuePrefix: string } {
  const id = randomUUID();
  return { kvPrefix: `${runPrefix}:${id}:kv:`, queuePrefix: `${runPrefix}:${id}:q` };
}

/** A gateway instance: its own app and channel, the shared Redis state and queue. */
async function instance(ns: ReturnType<typeof namespace>, extra: Partial<TestbedOptions> = {}): Promise<Testbed> {
  const t = await startTestbed({
    emulator: emu,
    kv: createRedisKeyValue(REDIS_URL, { keyPrefix: ns.kvPrefix }),
    pipeline: ({ gateway, kv, logger, errorReply }) => createRedisPipeline({ redisUrl: REDIS_URL, gateway, kv, log: logger, errorReply, prefix: ns.queuePrefix }),
    ...extra,
  });
  open.push(t);
  return t;
}

const webhook = { mode: 'webhook' as const, env: { TELEGRAM_WEBHOOK_SECRET: SECRET } };

function textUpdate(updateId: number, user: TgUser, messageId: number, text: string): Record<string, unknown> {
  const command = /^\/\w+/.exec(text);
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: 1,
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: { id: user.id, is_bot: false, first_name: user.first_name },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    },
  };
}

const post = (t: Testbed, update: unknown): Promise<Response> =>
  fetch(`${t.baseUrl}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(update) });

/** What the chat must show for these turns: each reply rendered as the channel splits and formats it. */
const expectedTexts = (turns: readonly ObservedTurn[]): string[] => turns.flatMap((t) => t.result.replies.flatMap((r) => textMessages(r.text).map((m) => m.text)));


describe('telegram channel on the durable pipeline (Redis)', () => {
  it('two webhook instances: messages of several users posted alternately to both are each answered once, in order per user', async () => {
    emu = await TelegramEmulator.start();
    const ns = namespace();
    const turns: ObservedTurn[] = [];
    const ran = { a: 0, b: 0 };
    const a = await instance(ns, { ...webhook, turns, beforeTurn: async () => void ran.a++ });
    const b = await instance(ns, { ...webhook, turns, beforeTurn: async () => void ran.b++ });
    const users: TgUser[] = Array.from({ length: 6 }, (_, i) => ({ id: 7100 + i, first_name: `Usuario${i}` }));
    for (const u of users) emu.openChat(u);
    const TEXTS = ['/start', 'cuánto cuesta el plan de 50 megas', '/menu', 'hola', 'tienen cobertura en la colonia Centro', '/ayuda'];
    const PER_USER = 8;
    // Telegram posts one chat's updates one after another; different chats at once. Message i of
    // user u goes to instance (u + i) % 2, so every user's messages alternate between the two.
    const statuses = await Promise.all(
      users.map(async (u, ui) => {
        const got: number[] = [];
        for (let i = 0; i < PER_USER; i++) {
          const update = textUpdate(100_000 + ui * 100 + i, u, 1_000 + i, TEXTS[(ui + i) % TEXTS.length] ?? '/menu');
          got.push((await post((ui + i) % 2 === 0 ? a : b, update)).status);
        }
        return got;
      }),
    );
    expect(statuses.flat()).toEqual(Array(users.length * PER_USER).fill(200));

    await emu.waitFor(() => turns.length >= users.length * PER_USER || undefined, 'every turn to run', 60_000);
    await Promise.all([a.pipeline?.idle(), b.pipeline?.idle()]);
    expect(turns).toHaveLength(users.length * PER_USER);
    // Both instances' workers took turns (one queue, any worker).
    expect(ran.a).toBeGreaterThan(0);
    expect(ran.b).toBeGreaterThan(0);
    for (const u of users) {
      const mine = turns.filter((t) => t.msg.chatId === String(u.id));
      expect(mine.map((t) => t.msg.messageId), `turn order of ${u.id}`).toEqual(Array.from({ length: PER_USER }, (_, i) => `m:${u.id}:${1_000 + i}`));
      expect(mine.every((t) => t.result.replies.length > 0)).toBe(true);
      expect(emu.botMessagesIn(u.id).map((m) => m.message.text), `bot messages in ${u.id}`).toEqual(expectedTexts(mine));
    }
  }, 90_000);

  it('the same update posted to both instances is answered once; an instance whose pipeline is closed answers 503 and the other takes the update', async () => {
    emu = await TelegramEmulator.start();
    const ns = namespace();
    const turns: ObservedTurn[] = [];
    const a = await instance(ns, { ...webhook, turns });
    const b = await instance(ns, { ...webhook, turns });
    const ana: TgUser = { id: 7201, first_name: 'Ana' };
    emu.openChat(ana);

    const start = textUpdate(200_001, ana, 1, '/start');
    expect(await Promise.all([post(a, start), post(b, start)]).then((r) => r.map((x) => x.status))).toEqual([200, 200]);
    await emu.waitFor(() => emu?.botMessagesIn(ana.id)[0], 'the greeting');
    await Promise.all([a.pipeline?.idle(), b.pipeline?.idle()]);
    expect(emu.botMessagesIn(ana.id).filter((m) => /¡Hola Ana!/.test(m.message.text ?? ''))).toHaveLength(1);
    expect(turns).toHaveLength(1);

    // A shuts down (serverMode closes the pipeline first): its webhook cannot queue and says so.
    await a.closePipeline();
    const menu = textUpdate(200_002, ana, 2, '/menu');
    expect((await post(a, menu)).status).toBe(503);
    expect(await b.kv.get('telegram:update:200002')).toBeUndefined();
    // Telegram redelivers, here to B: answered once.
    expect((await post(b, menu)).status).toBe(200);
    await emu.waitFor(() => turns[1], 'the /menu turn on B');
    await b.pipeline?.idle();
    expect(turns.map((t) => t.msg.messageId)).toEqual([`m:${ana.id}:1`, `m:${ana.id}:2`]);
    expect(emu.botMessagesIn(ana.id).map((m) => m.message.text)).toEqual(expectedTexts(turns));
  }, 60_000);

  it('a conversation by buttons: replies sent one by one from the queue, the pressed keyboard removed', async () => {
    emu = await TelegramEmulator.start();
    const t = await instance(namespace(), webhook);
    const beto = t.user({ id: 7301, first_name: 'Beto' });
    expect(texts(await beto.say('/start'))).toMatch(/¡Hola Beto!/);
    expect(texts(await beto.press('Planes y precios'))).toMatch(/\$450/);
    const edits = await emu.waitFor(() => {
      const done = emu?.callsOf('editMessageReplyMarkup').filter((c) => c.status === 200) ?? [];
      return done.length >= 1 ? done : undefined;
    }, 'the pressed keyboard removed');
    expect(edits).toHaveLength(1);
    expect(t.turns.at(-1)?.msg).toMatchObject({ action: 'intent:planes', inReplyTo: String(edits[0]?.payload.message_id) });
  }, 60_000);

  it('polling: a burst from several users (one getUpdates batch) is answered once per message, in order per user', async () => {
    emu = await TelegramEmulator.start();
    const t = await instance(namespace());
    const users: TgUser[] = Array.from({ length: 4 }, (_, i) => ({ id: 7500 + i, first_name: `Cliente${i}` }));
    const TEXTS = ['/start', 'planes', '/menu', 'hola'];
    const sent = new Map<number, string[]>();
    for (let i = 0; i < TEXTS.length; i++) {
      for (const u of users) {
        const update = emu.sendText(u, TEXTS[i] ?? '/menu');
        sent.set(u.id, [...(sent.get(u.id) ?? []), `m:${u.id}:${update.message?.message_id}`]);
      }
    }
    await emu.waitFor(() => t.turns.length >= users.length * TEXTS.length || undefined, 'every turn', 60_000);
    await t.pipeline?.idle();
    for (const u of users) {
      const mine = t.turns.filter((x) => x.msg.chatId === String(u.id));
      expect(mine.map((x) => x.msg.messageId)).toEqual(sent.get(u.id));
      expect(emu.botMessagesIn(u.id).map((m) => m.message.text)).toEqual(expectedTexts(mine));
    }
    await emu.waitFor(() => emu?.state.pending.length === 0 || undefined, 'every update confirmed');
  }, 60_000);

  it('polling: a repeated update is answered once; an update that cannot be queued is not confirmed and the next poller answers it', async () => {
    emu = await TelegramEmulator.start();
    const ns = namespace();
    const eva: TgUser = { id: 7401, first_name: 'Eva' };
    const fastRetry = { intakeRetryFirstMs: 50, intakeRetryMaxMs: 200 };
    const log = capturingLogger();
    const a = await instance(ns, { tuning: fastRetry, logger: log.logger });

    const start = emu.sendText(eva, '/start');
    await emu.waitFor(() => a.turns[0], 'the /start turn');
    emu.redeliver(start);
    expect(texts(await a.user(eva).say('/menu'))).toMatch(/¿En qué te puedo ayudar\?/);
    // The redelivered /start was queued again and dropped by the queue's dedupe: no second turn.
    expect(a.turns.map((t) => t.msg.text)).toEqual(['/start', '/menu']);
    expect(emu.botMessagesIn(eva.id).filter((m) => /¡Hola Eva!/.test(m.message.text ?? ''))).toHaveLength(1);

    // Shutting down: the pipeline is closed first, the poller still runs and fetches one more update.
    await a.closePipeline();
    const stuck = emu.sendText(eva, 'quiero contratar internet');
    await emu.waitFor(() => log.lines.find((l) => /update not queued \(pipeline or state store unavailable\)/.test(l.msg)), 'the intake failure logged');
    const polls = emu.callsOf('getUpdates').length;
    await emu.waitFor(() => log.lines.find((l) => /update not queued \(pipeline/.test(l.msg) && Number(l.attempt ?? 0) >= 3), 'two more attempts');
    // Paused: nothing fetched meanwhile, and the update is still Telegram's.
    expect(emu.callsOf('getUpdates')).toHaveLength(polls);
    expect(emu.state.pending.map((u) => u.update_id)).toContain(stuck.update_id);
    await a.close();
    open.splice(open.indexOf(a), 1);
    expect(log.lines.find((l) => /left with Telegram/.test(l.msg))).toBeDefined();
    expect(emu.state.pending.map((u) => u.update_id)).toContain(stuck.update_id);
    expect(a.turns).toHaveLength(2);

    // The next instance polls, gets the update and answers it once.
    const b = await instance(ns, { tuning: fastRetry });
    const turn = await emu.waitFor(() => b.turns[0], 'the stuck update answered by the next poller');
    expect(turn.msg.messageId).toBe(`m:${eva.id}:${stuck.message?.message_id}`);
    await b.pipeline?.idle();
    expect(b.turns).toHaveLength(1);
    const answer = expectedTexts([turn]);
    expect(emu.botMessagesIn(eva.id).map((m) => m.message.text).slice(-answer.length)).toEqual(answer);
    // Confirmed by b's next getUpdates.
    await emu.waitFor(() => emu?.state.pending.length === 0 || undefined, 'the update confirmed');
  }, 60_000);
});
