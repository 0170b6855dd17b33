import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** Deletes every key under `prefix` (a test run's own keys), scanning so a big database is never blocked. */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The shared test Redis (REDIS_URL, default 127.0.0.1:6379). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key prefix of its own for the calling test file on the shared Redis (`<label>-<uuid>`); every key
 * under it is deleted after the file's tests. Call at module level or inside a describe block.
 */
export function redisRunPrefix(label: string, url = TEST_REDIS_URL): string {
  const prefix = `${label}-${randomUUID()}`;
  afterAll(async () => {
    const admin = new Redis(url);
    await deleteKeysByPrefix(admin, prefix);
    await admin.quit();
  });
  return prefix;
}
