/**
 * A burst from one person while a worker holds the conversation: every message is answered, in
 * order, and only the first needs a BullMQ wake-up job (the holder drains the rest). Real Redis,
 * the real durable pipeline; the gateway is a stand-in for the turn (the port the pipeline calls).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.ts';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisPipeline } from '../../src/queue/redisPipeline.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const ns = redisRunPrefix('test:burst');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('durable queue: a burst into a conversation a worker holds', () => {
  it('answers every message in order with one wake-up job', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv:` });
    const redis = new Redis(TEST_REDIS_URL);
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const gateway: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      async runClaimed(msg, claimed) {
        if (msg.text === 'm1') {
          started();
          await firstHeld;
        }
        const outcome = { replies: [{ text: `re ${msg.text}` }] };
        await claimed?.beforeSave?.();
        await kv.setMany(claimed?.alongside?.(outcome) ?? []);
        return outcome;
      },
    };
    const pipeline = createRedisPipeline({ redisUrl: TEST_REDIS_URL, gateway, kv, log: pino({ level: 'silent' }), errorReply: { text: 'error' }, prefix: `${ns}:q`, lockMs: 5_000 });
    const sent: string[] = [];
    pipeline.register('whatsapp', { send: async (_msg, reply) => (sent.push(reply.text), true) });
    await pipeline.start();
    const message = (text: string): InboundMessage => ({ channel: 'whatsapp', chatId: '525511112222', userId: '525511112222', messageId: `wamid.${randomUUID()}`, receivedAt: Date.now(), text });
    try {
      await pipeline.submit([message('m1')]);
      await firstStarted;
      for (let i = 2; i <= 10; i++) await pipeline.submit([message(`m${i}`)]);
      release();
      for (const deadline = Date.now() + 20_000; sent.length < 10 && Date.now() < deadline; ) await sleep(20);
      await pipeline.idle();
      expect(sent).toEqual(Array.from({ length: 10 }, (_, i) => `re m${i + 1}`));
      const events = await redis.xrange(`${ns}:q:bull:inbound:events`, '-', '+');
      const added = events.filter(([, fields]) => fields[0] === 'event' && fields[1] === 'added');
      expect(added).toHaveLength(1);
    } finally {
      await pipeline.close();
      await kv.close();
      redis.disconnect();
    }
  }, 30_000);
});
