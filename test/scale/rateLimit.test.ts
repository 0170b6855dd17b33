import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadMessages } from '../../src/config/messages.ts';
import type { InboundMessage } from '../../src/core/types.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { shippedConfig } from '../support/harness.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messages = loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url)));
const WAIT = messages.t('common.rateLimited');

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(redis: boolean): Promise<App> {
  const config = shippedConfig();
  return createApp({
    config,
    env: parseEnv({ DATA_DIR: '/nonexistent', ...(redis ? { REDIS_URL } : {}) }),
    logger: pino({ level: 'silent' }),
    messages,
    store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }),
    kv: createMemoryKeyValue(),
    rateLimit: { points: 10, durationSec: 10, blockSec: 30, keyPrefix: `test-rl:${randomUUID()}` },
  });
}

const message = (userId: string, text: string): InboundMessage => ({
  channel: 'telegram',
  chatId: userId,
  userId,
  messageId: randomUUID(),
  text,
  receivedAt: Date.now(),
});

describe.each([
  ['memory', false],
  ['redis', true],
])('per-user rate limit (%s)', (_name, redis) => {
  it('a flood of 100 messages gets one "espera un momento" and at most 10 turns; another user is unaffected', async () => {
    app = await start(redis);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => app!.gateway.handle(message('flooder', `hola ${i}`))));
    const notices = results.filter((r) => r.replies.some((x) => x.text === WAIT));
    const turns = results.filter((r) => r.intent !== 'rate_limited');
    expect(notices).toHaveLength(1);
    expect(turns.length).toBe(10);
    expect(results.filter((r) => r.intent === 'rate_limited' && r.replies.length === 0)).toHaveLength(89);

    const other = await app.gateway.handle(message('calm-user', 'hola'));
    expect(other.intent).not.toBe('rate_limited');
    expect(other.replies.length).toBeGreaterThan(0);
    // The flooder stays blocked (silently) for the block duration.
    const later = await app.gateway.handle(message('flooder', 'hola otra vez'));
    expect(later).toMatchObject({ intent: 'rate_limited', replies: [] });
  }, 30_000);
});
