/**
 * A turn still running when its instance shuts down and fails because the instance's stores are
 * being closed must not answer "error": the message stays queued and another instance answers it.
 * Real Redis, the real durable pipeline; the gateway is a stand-in for the turn.
 */
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { answeringGateway, recordingPipeline, signal, textFrom, until } from '../support/durableStandIn.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const ns = redisRunPrefix('test:closing');

describe('durable queue: a turn that fails while its instance shuts down', () => {
  it('is not answered with the error reply; another instance answers it', async () => {
    const kv = createRedisKeyValue(TEST_REDIS_URL, { keyPrefix: `${ns}:kv:` });
    const started = signal();
    let fail!: (err: Error) => void;
    const failing: Gateway = {
      handle: () => Promise.reject(new Error('not used by the durable queue')),
      runClaimed: () => (started.fire(), new Promise((_, reject) => (fail = reject))),
    };
    const options = { kv, prefix: `${ns}:q`, lockMs: 2_000 };
    const a = recordingPipeline({ ...options, gateway: failing });
    const b = recordingPipeline({ ...options, gateway: answeringGateway(kv) });
    const sent = () => [...a.sent, ...b.sent];
    try {
      await a.pipeline.start();
      await a.pipeline.submit([textFrom('525511114444', 'hola')]);
      await started.promise;
      const closing = a.pipeline.close(); // shutdown begins while the turn runs…
      fail(new Error('The database connection is not open')); // …and the turn fails on a closed store
      await closing;
      expect(sent()).toEqual([]);
      await b.pipeline.start();
      await until(() => sent().length > 0);
      expect(sent()).toEqual(['re hola']);
    } finally {
      await a.pipeline.close().catch(() => undefined);
      await b.pipeline.close();
      await kv.close();
    }
  }, 30_000);
});
