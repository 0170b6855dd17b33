/**
 * A turn that outlives its time limit is handed to another attempt; when the abandoned one finally
 * finishes it must neither save nor send (the retry answers the message once). Real Redis, the
 * real durable pipeline; the gateway here is a slow stand-in for the turn (the port the pipeline calls).
 */
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { answeringGateway, forever, recordingPipeline, signal, sleep, textFrom, until } from '../support/durableStandIn.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const ns = redisRunPrefix('test:timeout');

describe('durable queue: a turn past its time limit', () => {
  it('the abandoned attempt saves and sends nothing when it finishes late; the retry answers once', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv:` });
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
    const { pipeline, sent } = recordingPipeline({ gateway, kv, prefix: `${ns}:q`, lockMs: 3_000, turnTimeoutMs: 1_500 });
    await pipeline.start();
    try {
      await pipeline.submit([textFrom('525511110000', 'hola')]);
      await until(() => sent.length > 0);
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
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv2:` });
    let m1Runs = 0;
    const started = signal();
    const gateway = answeringGateway(kv, (msg) => {
      if (msg.text !== 'm1') return;
      m1Runs++;
      started.fire();
      return forever();
    });
    const { pipeline, sent } = recordingPipeline({ gateway, kv, prefix: `${ns}:q2`, lockMs: 1_000, turnTimeoutMs: 300 });
    await pipeline.start();
    const message = (text: string) => textFrom('525511116666', text);
    try {
      await pipeline.submit([message('m1')]);
      await started.promise;
      await pipeline.submit([message('m2')]);
      await until(() => sent.length >= 2, 25_000);
      expect(sent).toEqual(['error', 're m2']);
      expect(m1Runs).toBe(3);
    } finally {
      await pipeline.close();
      await kv.close();
    }
  }, 40_000);
});
