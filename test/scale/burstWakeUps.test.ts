/**
 * A burst from one person while a worker holds the conversation: every message is answered, in
 * order, and only the first needs a BullMQ wake-up job (the holder drains the rest); when the
 * holder's job fails for good, a new job takes the conversation over. Real Redis,
 * the real durable pipeline; the gateway is a stand-in for the turn (the port the pipeline calls).
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.ts';
import type { Gateway } from '../../src/gateway.ts';
import { createConversationInbox } from '../../src/queue/conversationInbox.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { answeringGateway, forever, recordingPipeline, signal, sleep, textFrom, until } from '../support/durableStandIn.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const ns = redisRunPrefix('test:burst');

describe('durable queue: a burst into a conversation a worker holds', () => {
  it('answers every message in order with one wake-up job', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv:` });
    const redis = new Redis(TEST_REDIS_URL);
    const held = signal();
    const started = signal();
    const gateway = answeringGateway(kv, async (msg) => {
      if (msg.text !== 'm1') return;
      started.fire();
      await held.promise;
    });
    const { pipeline, sent } = recordingPipeline({ gateway, kv, prefix: `${ns}:q`, lockMs: 5_000 });
    await pipeline.start();
    const message = (text: string) => textFrom('525511112222', text);
    try {
      await pipeline.submit([message('m1')]);
      await started.promise;
      for (let i = 2; i <= 10; i++) await pipeline.submit([message(`m${i}`)]);
      held.fire();
      await until(() => sent.length >= 10);
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

  it('when the holding job fails for good, a new job answers what was accepted while it held the conversation', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv2:` });
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const started = signal();
    let m1Runs = 0;
    const gateway = answeringGateway(kv, (msg) => {
      if (msg.text !== 'm1' || m1Runs++ > 0) return;
      started.fire();
      return forever(); // the turn times out
    });
    const { pipeline, sent } = recordingPipeline({ gateway, kv, prefix: `${ns}:q2`, lockMs: 2_000, turnTimeoutMs: 400 });
    const chatId = '525511113333';
    const m1 = textFrom(chatId, 'm1');
    // m1's job on its last attempt (1 of 1): stands in for hours of failed attempts.
    const queue = new Queue('inbound', { connection, prefix: `${ns}:q2:bull` });
    await queue.add('turn', { conversation: `whatsapp:${chatId}` }, { jobId: `whatsapp.${m1.messageId}`, attempts: 1, removeOnComplete: true });
    try {
      await pipeline.submit([m1]);
      await pipeline.start();
      await started.promise;
      await pipeline.submit([textFrom(chatId, 'm2')]); // accepted while m1's job holds the conversation: no job of its own
      await until(() => sent.length >= 2);
      expect(sent).toEqual(['re m1', 're m2']);
      expect(await (await queue.getJob(`whatsapp.${m1.messageId}`))?.getState()).toBe('failed');
    } finally {
      await pipeline.close();
      await queue.close();
      await kv.close();
      connection.disconnect();
    }
  }, 30_000);

  it('a message left without a job (removed, or lost with Redis’s last second) is found by the sweep and answered', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv3:` });
    const redis = new Redis(TEST_REDIS_URL);
    const { pipeline, sent } = recordingPipeline({ gateway: answeringGateway(kv), kv, prefix: `${ns}:q3`, lockMs: 2_000, sweepEveryMs: 100, unattendedAfterMs: 1_000 });
    const chatId = '525511115555';
    const msg = textFrom(chatId, 'hola');
    try {
      // In the inbox with no wake-up job, as if its job had been lost.
      const inbox = createConversationInbox(redis, { prefix: `${ns}:q3:q`, dedupeTtlMs: 60_000, lockMs: 2_000 });
      const acceptedAt = Date.now();
      await inbox.accept([{ conversation: `whatsapp:${chatId}`, id: msg.messageId, payload: JSON.stringify(msg), acceptedAt }]);
      await pipeline.start();
      await until(() => sent.length > 0, 10_000);
      expect(sent).toEqual(['re hola']);
      expect(Date.now() - acceptedAt, 'not before it has waited unattendedAfterMs').toBeGreaterThanOrEqual(1_000);
    } finally {
      await pipeline.close();
      await kv.close();
      redis.disconnect();
    }
  }, 30_000);

  it('a conversation that keeps failing holds at most one sweep job at a time', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv4:` });
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const gateway: Gateway = { handle: () => Promise.reject(new Error('not used')), runClaimed: () => Promise.reject(new Error('not used')) };
    const { pipeline } = recordingPipeline({ gateway, kv, prefix: `${ns}:q4`, lockMs: 1_000, sweepEveryMs: 100, unattendedAfterMs: 300 });
    // No handler for this channel in this instance: every attempt fails, and the message waits.
    await pipeline.submit([{ channel: 'sms', chatId: '5215512345678', userId: 'u', messageId: `m.${randomUUID()}`, receivedAt: Date.now(), text: 'hola' } as unknown as InboundMessage]);
    await pipeline.start();
    const queue = new Queue('inbound', { connection, prefix: `${ns}:q4:bull` });
    try {
      await sleep(3_000);
      const jobs = await queue.getJobs(['delayed', 'wait', 'active', 'failed', 'prioritized', 'waiting-children']);
      const swept = jobs.filter((j) => j.id?.startsWith('sweep.'));
      expect(swept.length).toBeLessThanOrEqual(1);
      expect(jobs.length).toBeLessThanOrEqual(2);
    } finally {
      await pipeline.close();
      await queue.close();
      await kv.close();
      connection.disconnect();
    }
  }, 30_000);
});
