/**
 * The KeyValueStore contract on every adapter. The Redis run needs a real server
 * (REDIS_URL, default redis://127.0.0.1:6379) and fails — does not skip — when none answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { openSqliteKeyValue } from '../../src/state/sqliteKeyValue.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { describeKeyValueContract } from './keyValueContract.ts';
import { deleteKeysByPrefix } from '../support/redis.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function fakeClock() {
  let now = Date.UTC(2025, 0, 15, 12, 0, 0);
  return { now: () => now, elapse: async (ms: number) => void (now += ms) };
}

describeKeyValueContract(
  'memory',
  async () => {
    const clock = fakeClock();
    return { kv: createMemoryKeyValue(clock.now), elapse: clock.elapse };
  },
  { exactTime: true },
);

describeKeyValueContract(
  'sqlite (temp file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-contract-'));
    const file = join(dir, 'state.db');
    const clock = fakeClock();
    return {
      kv: openSqliteKeyValue(file, { clock: clock.now }),
      elapse: clock.elapse,
      reopen: async () => openSqliteKeyValue(file, { clock: clock.now }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { exactTime: true, durable: true },
);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `test:kv:${randomUUID()}:`;
let admin: Redis | undefined;

describe(`Redis at ${redisUrl}`, () => {
  beforeAll(async () => {
    const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      admin = probe;
    } catch (err) {
      probe.disconnect();
      throw new Error(`Redis not reachable at ${redisUrl} — start redis-server or set REDIS_URL (${(err as Error).message})`);
    }
  });

  afterAll(async () => {
    if (!admin) return;
    await deleteKeysByPrefix(admin, runPrefix);
    await admin.quit();
  });

  describeKeyValueContract(
    `redis (${redisUrl})`,
    async () => {
      if (!admin) throw new Error(`Redis not reachable at ${redisUrl} — start redis-server or set REDIS_URL`);
      const keyPrefix = `${runPrefix}${randomUUID()}:`;
      return {
        kv: createRedisKeyValue(redisUrl, { keyPrefix }),
        elapse: sleep,
        reopen: async () => createRedisKeyValue(redisUrl, { keyPrefix }),
      };
    },
    { durable: true },
  );
});
