import { Redis } from 'ioredis';
import type { Env } from '../../config/env.ts';
import { redactUrl, TIMEOUT_MS, type ComponentStatus } from './componentStatus.ts';

export async function checkRedis(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Redis', enabledBy: 'REDIS_URL', channel: false };
  if (!env.REDIS_URL) return { ...base, configured: false, detail: 'not configured: sessions in the local store file' };
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const started = performance.now();
  try {
    await redis.connect();
    await redis.ping();
    return { ...base, configured: true, reachable: true, detail: `${redactUrl(env.REDIS_URL)} (${Math.round(performance.now() - started)} ms)` };
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: `${redactUrl(env.REDIS_URL)}: ${(err as Error).message}` };
  } finally {
    redis.disconnect();
  }
}
