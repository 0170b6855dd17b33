/** The outbox backlog as `launcher --mode status` reports it, without opening the whole store. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Env } from '../../config/env.ts';
import type { OutboxStats } from './outbox.ts';
import { createRedisOutbox } from './redisOutbox.ts';
import { openSqliteOutbox } from './sqliteOutbox.ts';

export async function readBacklog(env: Env, timeoutMs: number, keyPrefix = 'isp:'): Promise<OutboxStats & { where: string }> {
  const id = env.GOOGLE_SHEETS_ID;
  if (!id) return { pending: 0, where: 'none' };
  if (env.REDIS_URL) {
    const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return { ...(await createRedisOutbox(redis, keyPrefix, id).stats()), where: 'Redis' };
    } finally {
      redis.disconnect();
    }
  }
  const file = join(env.DATA_DIR, 'sheets-outbox.db');
  if (!existsSync(file)) return { pending: 0, where: file };
  const outbox = openSqliteOutbox(file, id);
  try {
    return { ...(await outbox.stats()), where: file };
  } finally {
    await outbox.close();
  }
}
