import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeyValue } from '../../../src/state/redisKeyValue.ts';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/whatsapp/graphEmulator.ts';
import { metaJson } from '../../emulators/whatsapp/metaWebhook.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID, type Sender } from './fixtures/metaPayloads.ts';
import { ACCESS_TOKEN, startWhatsAppStack, type WhatsAppStack } from './whatsAppStack.ts';
import { deleteKeysByPrefix } from '../../support/redis.ts';

/** Two gateway instances on one real Redis (REDIS_URL, default redis://127.0.0.1:6379) behind one webhook URL. */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `test:wa:${randomUUID()}:`;
let admin: Redis;
let graph: GraphEmulator;
let stacks: WhatsAppStack[] = [];

beforeAll(async () => {
  admin = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    await admin.ping();
  } catch (err) {
    throw new Error(`Redis not reachable at ${redisUrl} — start redis-server or set REDIS_URL (${(err as Error).message})`);
  }
});
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
  await graph?.close();
});
afterAll(async () => {
  await deleteKeysByPrefix(admin, runPrefix);
  await admin.quit();
});

/** Two instances sharing one Redis (each with its own client, as two processes would) and one Graph emulator. */
async function twoInstances(options: { sendsPerSecond?: number; throughput?: number } = {}): Promise<[WhatsAppStack, WhatsAppStack]> {
  const prefix = `${runPrefix}${randomUUID()}:`;
  graph = await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, throughputPerSecond: options.throughput ?? 1000 });
  const make = () =>
    startWhatsAppStack({
      graph,
      kv: createRedisKeyValue(redisUrl, { keyPrefix: prefix }),
      env: { REDIS_URL: redisUrl },
      tuning: { limiterKeyPrefix: `${prefix}wa-send`, ...(options.sendsPerSecond ? { sendsPerSecond: options.sendsPerSecond } : {}) },
    });
  stacks = [await make(), await make()];
  return stacks as [WhatsAppStack, WhatsAppStack];
}

const ANA: Sender = { waId: '5215512345678', name: 'Ana López' };

describe('several instances on one Redis', () => {
  it('a redelivery to the other instance produces no second reply', async () => {
    const [a, b] = await twoInstances();
    const body = metaJson(delivery(messagesValue([ANA], [msg.text(ANA.waId, 'hola')])));
    expect((await a.deliver(body)).status).toBe(200);
    const once = graph.sent.length;
    expect(once).toBeGreaterThan(0);
    expect((await b.deliver(body)).status).toBe(200);
    expect(graph.sent.length).toBe(once);
    expect(b.channel.metrics).toMatchObject({ turns: 0, duplicates: 1 });
  });

  it('the same delivery to both instances at the same moment → one turn, one reply', async () => {
    const [a, b] = await twoInstances();
    const body = metaJson(delivery(messagesValue([ANA], [msg.text(ANA.waId, 'planes')])));
    const results = await Promise.all([a.post(body), b.post(body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all([a.channel.idle(), b.channel.idle()]);
    expect(a.channel.metrics.turns + b.channel.metrics.turns).toBe(1);
    expect(a.channel.metrics.duplicates + b.channel.metrics.duplicates).toBe(1);
    const replies = graph.sentTo('525512345678').length;
    expect(replies).toBeGreaterThan(0);
    const single = await (async () => {
      // The same text from another person on one instance: how many messages one turn sends.
      const other = metaJson(delivery(messagesValue([{ waId: '5215511110000', name: 'X' }], [msg.text('5215511110000', 'planes')])));
      await a.deliver(other);
      return graph.sentTo('525511110000').length;
    })();
    expect(replies).toBe(single);
  });

  it('the outbound limit is shared: 30 replies from two instances at 10/s take at least two seconds', async () => {
    const [a, b] = await twoInstances({ sendsPerSecond: 10 });
    const people = (from: number) => Array.from({ length: 15 }, (_, i) => ({ waId: `52155700${String(from + i).padStart(5, '0')}`, name: `P${from + i}` }));
    const batch = (ps: Sender[]) => metaJson(delivery(messagesValue(ps, ps.map((p) => msg.text(p.waId, 'hola')))));
    await Promise.all([a.post(batch(people(0))), b.post(batch(people(100)))]);
    await Promise.all([a.channel.idle(), b.channel.idle()]);
    expect(graph.sent).toHaveLength(30);
    // Fixed one-second windows of 10: the 30th send cannot start before the third window opens.
    const span = graph.sent.at(-1)!.at - graph.sent[0]!.at;
    console.log(`shared limiter: 30 sends from 2 instances at 10/s spanned ${span} ms`);
    expect(span).toBeGreaterThanOrEqual(1900);
  }, 30_000);
});
