/**
 * A turn still running when its instance shuts down and fails because the instance's stores are
 * being closed must not answer "error": the message stays queued and another instance answers it.
 * Real Redis, the real durable pipeline; the gateway is a stand-in for the turn.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.ts';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisPipeline } from '../../src/queue/redisPipeline.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const ns = redisRunPrefix('test:closing');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('durable queue: a turn that fails while its instance shuts down', () => {
  it('is not answered with the error reply; another instance answers it', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv:` });
    let started!: () => void;
    const turnStarted = new Promise<void>((resolve) => (started = resolve));
    let fail!: (err: Error) => void;
    const first: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      runClaimed: () => (started(), new Promise((_, reject) => (fail = reject))),
    };
    const second: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      async runClaimed(msg, claimed) {
        const outcome = { replies: [{ text: `re ${msg.text}` }] };
        await kv.setMany(claimed?.alongside?.(outcome) ?? []);
        return outcome;
      },
    };
    const options = { redisUrl: TEST_REDIS_URL, kv, log: pino({ level: 'silent' }), errorReply: { text: 'error' }, prefix: `${ns}:q`, lockMs: 2_000 };
    const sent: string[] = [];
    const a = createRedisPipeline({ ...options, gateway: first });
    const b = createRedisPipeline({ ...options, gateway: second });
    for (const p of [a, b]) p.register('whatsapp', { send: async (_msg, reply) => (sent.push(reply.text), true) });
    try {
      await a.start();
      await a.submit([{ channel: 'whatsapp', chatId: '525511114444', userId: '525511114444', messageId: `wamid.${randomUUID()}`, receivedAt: Date.now(), text: 'hola' } satisfies InboundMessage]);
      await turnStarted;
      const closing = a.close(); // shutdown begins while the turn runs…
      fail(new Error('The database connection is not open')); // …and the turn fails on a closed store
      await closing;
      expect(sent).toEqual([]);
      await b.start();
      for (const deadline = Date.now() + 20_000; sent.length === 0 && Date.now() < deadline; ) await sleep(20);
      expect(sent).toEqual(['re hola']);
    } finally {
      await a.close().catch(() => undefined);
      await b.close();
      await kv.close();
    }
  }, 30_000);
});
