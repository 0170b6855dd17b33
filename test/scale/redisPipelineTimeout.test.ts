/**
 * A turn that outlives its time limit is handed to another attempt; when the abandoned one finally
 * finishes it must neither save nor send (the retry answers the message once). Real Redis, the
 * real durable pipeline; the gateway here is a slow stand-in for the turn (the port the pipeline calls).
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.ts';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisPipeline } from '../../src/queue/redisPipeline.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const REDIS_URL = TEST_REDIS_URL;
const ns = redisRunPrefix('test:timeout');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('durable queue: a turn past its time limit', () => {
  it('the abandoned attempt saves and sends nothing when it finishes late; the retry answers once', async () => {
    const kv = createRedisKeyValue(REDIS_URL, { keyPrefix: `${ns}:kv:` });
    const saved: number[] = [];
    const refused: number[] = [];
    let attempts = 0;
    const gateway: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      async runClaimed(_msg, claimed) {
        const attempt = ++attempts;
        // The first attempt outlives the 1.5 s limit but finishes within a third of the lock after a renewal.
        if (attempt === 1) await sleep(1_700);
        const outcome = { replies: [{ text: `attempt ${attempt}` }] };
        try {
          await claimed?.beforeSave?.();
        } catch (err) {
          refused.push(attempt);
          throw err;
        }
        await kv.setMany(claimed?.alongside?.(outcome) ?? []);
        saved.push(attempt);
        return outcome;
      },
    };
    const pipeline = createRedisPipeline({ redisUrl: REDIS_URL, gateway, kv, log: pino({ level: 'silent' }), errorReply: { text: 'error' }, prefix: `${ns}:q`, lockMs: 3_000, turnTimeoutMs: 1_500 });
    const sent: string[] = [];
    pipeline.register('whatsapp', { send: async (_msg, reply) => (sent.push(reply.text), true) });
    await pipeline.start();
    try {
      const msg: InboundMessage = { channel: 'whatsapp', chatId: '525511110000', userId: '525511110000', messageId: `wamid.${randomUUID()}`, receivedAt: Date.now(), text: 'hola' };
      await pipeline.submit([msg]);
      for (const deadline = Date.now() + 20_000; sent.length === 0 && Date.now() < deadline; ) await sleep(50);
      await sleep(1_500); // the abandoned attempt wakes up at 1.7 s and tries to save
      await pipeline.idle();
      expect(sent).toEqual(['attempt 2']);
      expect(saved).toEqual([2]);
      expect(refused).toEqual([1]);
    } finally {
      await pipeline.close();
      await kv.close();
    }
  }, 30_000);

  it('a message whose turn times out three times gets the error reply, and the conversation moves on', async () => {
    const kv = createRedisKeyValue(REDIS_URL, { keyPrefix: `${ns}:kv2:` });
    let m1Runs = 0;
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const gateway: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      async runClaimed(msg, claimed) {
        if (msg.text === 'm1') {
          m1Runs++;
          started();
          await new Promise(() => undefined); // never finishes
        }
        const outcome = { replies: [{ text: `re ${msg.text}` }] };
        await claimed?.beforeSave?.();
        await kv.setMany(claimed?.alongside?.(outcome) ?? []);
        return outcome;
      },
    };
    const pipeline = createRedisPipeline({ redisUrl: REDIS_URL, gateway, kv, log: pino({ level: 'silent' }), errorReply: { text: 'error' }, prefix: `${ns}:q2`, lockMs: 1_000, turnTimeoutMs: 300 });
    const sent: string[] = [];
    pipeline.register('whatsapp', { send: async (_msg, reply) => (sent.push(reply.text), true) });
    await pipeline.start();
    const message = (text: string): InboundMessage => ({ channel: 'whatsapp', chatId: '525511116666', userId: '525511116666', messageId: `wamid.${randomUUID()}`, receivedAt: Date.now(), text });
    try {
      await pipeline.submit([message('m1')]);
      await firstStarted;
      await pipeline.submit([message('m2')]);
      for (const deadline = Date.now() + 25_000; sent.length < 2 && Date.now() < deadline; ) await sleep(50);
      expect(sent).toEqual(['error', 're m2']);
      expect(m1Runs).toBe(3);
    } finally {
      await pipeline.close();
      await kv.close();
    }
  }, 40_000);
});
