/**
 * `npm run bench`, WhatsApp section (printed, never asserted): the real WhatsApp webhook over HTTP
 * on loopback (Meta-signed payloads), the real app and gateway (offline NLU, local store), replies
 * going to the Graph API emulator. Closed loop: each virtual user sends its next message once the
 * previous one was answered. Prints sustained messages/s, webhook ack p50/p99, end-to-end turn
 * p50/p99 (POST sent → reply accepted by the emulator), and RSS; in-process state and Redis state.
 */
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createApp } from '../src/app.ts';
import { createHttpServer } from '../src/channels/httpServer.ts';
import { createWhatsAppChannel } from '../src/channels/whatsapp/index.ts';
import { parseEnv } from '../src/config/env.ts';
import { loadConfig } from '../src/config/loadConfig.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { openLocalStore } from '../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../src/state/memoryKeyValue.ts';
import { createRedisKeyValue } from '../src/state/redisKeyValue.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from '../test/channels/whatsapp/fixtures/metaPayloads.ts';
import { startGraphEmulator } from '../test/emulators/whatsapp/graphEmulator.ts';
import { metaJson, metaSignature } from '../test/emulators/whatsapp/metaWebhook.ts';

const root = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));
const SECRET = 'bench-app-secret';
const TOKEN = 'EAAbench-token';
const TEXTS = ['hola', 'qué planes tienen', 'menú', 'cuánto cuesta el plan de 50 megas'];

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(2)} ms`;

export interface WhatsAppBenchOptions {
  /** Messages per run (default 3,000). */
  messages?: number;
  /** Concurrent virtual users (default 100). */
  users?: number;
  /** Also run with state on this Redis (default REDIS_URL or 127.0.0.1:6379, skipped if it does not answer). */
  redisUrl?: string;
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function run(label: string, kv: KeyValueStore, messages: number, users: number): Promise<void> {
  const config = loadConfig(root('config/isp.yaml'));
  const graph = await startGraphEmulator({ accessToken: TOKEN, phoneNumberId: PHONE_NUMBER_ID, throughputPerSecond: 1_000_000 });
  const env = parseEnv({ DATA_DIR: '/nonexistent', WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_GRAPH_URL: graph.url });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ processMetrics: false });
  const channel = createWhatsAppChannel({ env, config, logger }, { sendsPerSecond: 1_000_000, limiterKeyPrefix: `bench:${Date.now()}` });
  const app = await createApp({ config, env, logger, kv, store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }), alertChannels: [channel.notifier], metrics });
  const http = createHttpServer({ host: '127.0.0.1', port: 0, logger, metrics });
  await channel.start({ gateway: app.gateway, http: http.app, kv, metrics });
  const url = `http://127.0.0.1:${await http.listen()}/webhook`;

  // Replies seen by the emulator, attributed to their recipient as they arrive.
  const waiting = new Map<string, () => void>();
  let scanned = 0;
  const scanner = setInterval(() => {
    for (; scanned < graph.sent.length; scanned++) {
      const to = graph.sent[scanned]!.to;
      const done = waiting.get(to);
      if (done) (waiting.delete(to), done());
    }
  }, 1);

  const acks: number[] = [];
  const turns: number[] = [];
  let next = 0;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const waId = `52155${String(u).padStart(8, '0')}`;
      const to = waId.replace(/^521/, '52');
      for (let i = 0; next < messages; i++) {
        next++;
        const body = metaJson(delivery(messagesValue([{ waId, name: 'Bench' }], [msg.text(waId, TEXTS[i % TEXTS.length]!)])));
        const replied = new Promise<void>((resolve) => waiting.set(to, resolve));
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, SECRET) } });
        acks.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        await replied;
        turns.push(performance.now() - t0);
        if (turns.length % 200 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(scanner);
  acks.sort((a, b) => a - b);
  turns.sort((a, b) => a - b);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  console.log(
    `  ${label.padEnd(22)} ${String(turns.length).padStart(6)} msgs  ${(turns.length / seconds).toFixed(0).padStart(5)} msg/s  ` +
      `ack p50 ${ms(pct(acks, 50))} p99 ${ms(pct(acks, 99))}  turn p50 ${ms(pct(turns, 50))} p99 ${ms(pct(turns, 99))}  ` +
      `RSS ${(rssPeak / 2 ** 20).toFixed(0)} MB  replies ${graph.sent.length}`,
  );
  await channel.stop();
  await http.close();
  await app.close();
  await graph.close();
}

export async function benchWhatsApp(options: WhatsAppBenchOptions = {}): Promise<void> {
  const messages = options.messages ?? 3_000;
  const users = options.users ?? 100;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  console.log(`\nWhatsApp webhook → gateway → Graph emulator over loopback (${users} concurrent users, closed loop)`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}`);
  await run('in-process (memory)', createMemoryKeyValue(), messages, users);
  if (await redisAnswers(redisUrl)) await run('Redis state', createRedisKeyValue(redisUrl, { keyPrefix: `bench:${Date.now()}:` }), messages, users);
  else console.log(`  Redis state            skipped: no Redis answers at ${redisUrl}`);
  console.log('  (one process: load generator, server and emulator share the CPU; not the durable BullMQ queue)');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWhatsApp();
