import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createKvNotificationLog, openSqliteNotificationLog, type NotificationLog } from '../../src/outreach/notificationLog.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:notiflog:${randomUUID()}:`;
afterAll(async () => {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const adapters: [string, () => NotificationLog][] = [
  ['sqlite', () => openSqliteNotificationLog(':memory:')],
  ['kv (memory)', () => createKvNotificationLog(createMemoryKeyValue())],
  ['kv (real Redis)', () => {
    const kv = createRedisKeyValue(url, { keyPrefix: prefix });
    const log = createKvNotificationLog(kv);
    return { ...log, close: () => kv.close() };
  }],
];

describe.each(adapters)('notification log on %s', (_name, open) => {
  it('records messages and moves their status forward only, failed with the provider error', async () => {
    const log = open();
    try {
      const a = await log.record({ customerId: 'C1', channel: 'whatsapp', campaign: 'general', content: 'Hola', providerMessageId: `wamid.A${_name}`, status: 'sent' });
      await log.record({ customerId: 'C2', channel: 'telegram', campaign: 'otra', content: 'Hola 2', providerMessageId: `tg.2${_name}`, status: 'sent' });
      expect(a).toMatchObject({ id: expect.any(String), at: expect.any(String) });
      expect(await log.updateStatus(`wamid.A${_name}`, 'read')).toBe(true);
      expect(await log.updateStatus(`wamid.A${_name}`, 'delivered')).toBe(true); // late: ignored
      expect((await log.list({ campaign: 'general' }))[0]).toMatchObject({ status: 'read' });
      await log.updateStatus(`tg.2${_name}`, 'failed', '131026: Message undeliverable');
      expect(await log.list({ customerId: 'C2' })).toMatchObject([{ status: 'failed', error: '131026: Message undeliverable', campaign: 'otra' }]);
      expect(await log.updateStatus('unknown', 'read')).toBe(false);
      expect(await log.list()).toHaveLength(2);
    } finally {
      await log.close();
    }
  });
});
