/**
 * `npm run bench`, WhatsApp section (printed, never asserted): the real WhatsApp webhook over HTTP
 * on loopback (Meta-signed payloads), the real app and gateway (offline NLU, local store), replies
 * going to the Graph API emulator. The load generator and the emulator run in a child process
 * (bench/whatsappLoad.ts) so this process's event loop and RSS are the server's alone. Per state
 * backend: a warm-up, a closed loop (each virtual user sends its next message once the previous one
 * was answered: sustained msg/s, ack p50/p99, turn p50/p99 = POST sent → reply accepted by the
 * emulator) and an open loop at 1,000 msg/s (ack p50/p99 at that offered rate), with server RSS.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
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
import { PHONE_NUMBER_ID } from '../test/channels/whatsapp/fixtures/metaPayloads.ts';
import type { LoadResult, LoadRun } from './whatsappLoad.ts';

const root = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));
const SECRET = 'bench-app-secret';
const TOKEN = 'EAAbench-token';

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

interface Load {
  graphUrl: string;
  run(r: Omit<LoadRun, 'type' | 'secret'>): Promise<LoadResult>;
  close(): void;
}

/** Forks the load generator + Graph emulator (bench/whatsappLoad.ts) with the same tsx loader. */
async function startLoad(): Promise<Load> {
  const child = fork(root('bench/whatsappLoad.ts'), [], { env: { ...process.env, BENCH_WA_TOKEN: TOKEN } });
  const next = <T>(): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => (child.off('exit', onExit), resolve(m as T)));
    });
  const { url } = await next<{ url: string }>();
  return {
    graphUrl: url,
    run: (r) => {
      const result = next<LoadResult>();
      child.send({ ...r, type: 'run', secret: SECRET });
      return result;
    },
    close: () => void child.send({ type: 'close' }),
  };
}

let userOffset = 0;

async function run(label: string, kv: KeyValueStore, messages: number, users: number): Promise<void> {
  const config = loadConfig(root('config/isp.yaml'));
  const load = await startLoad();
  const env = parseEnv({ DATA_DIR: '/nonexistent', WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_GRAPH_URL: load.graphUrl });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ processMetrics: false });
  const channel = createWhatsAppChannel({ env, config, logger }, { sendsPerSecond: 1_000_000, limiterKeyPrefix: `bench:${Date.now()}` });
  const app = await createApp({ config, env, logger, kv, store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }), alertChannels: [channel.notifier], metrics });
  const http = createHttpServer({ host: '127.0.0.1', port: 0, logger, metrics });
  await channel.start({ gateway: app.gateway, http: http.app, kv, metrics });
  const url = `http://127.0.0.1:${await http.listen()}/webhook`;

  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const once = async (name: string, r: Omit<LoadRun, 'type' | 'secret' | 'url' | 'userOffset'>): Promise<void> => {
    const res = await load.run({ ...r, url, userOffset });
    userOffset += r.users;
    await channel.idle();
    const acks = res.acks.sort((a, b) => a - b);
    const turns = res.turns.sort((a, b) => a - b);
    const rate = (r.ratePerSecond ? res.acks.length : turns.length) / res.seconds;
    console.log(
      `  ${`${label}, ${name}`.padEnd(34)} ${String(r.messages).padStart(6)} msgs  ${rate.toFixed(0).padStart(5)} msg/s  ` +
        `ack p50 ${ms(pct(acks, 50))} p99 ${ms(pct(acks, 99))}  ` +
        (turns.length ? `turn p50 ${ms(pct(turns, 50))} p99 ${ms(pct(turns, 99))}  ` : '') +
        `server RSS ${(rssPeak / 2 ** 20).toFixed(0)} MB  replies ${res.replies}${res.errors ? `  errors ${res.errors}` : ''}`,
    );
  };
  await once('warm-up', { messages: Math.min(500, messages), users });
  await once('closed loop', { messages, users });
  await once('open loop 1,000/s', { messages, users, ratePerSecond: 1_000 });
  clearInterval(sampler);
  load.close();
  await channel.stop();
  await http.close();
  await app.close();
}

export async function benchWhatsApp(options: WhatsAppBenchOptions = {}): Promise<void> {
  const messages = options.messages ?? 3_000;
  const users = options.users ?? 100;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  console.log(`\nWhatsApp webhook → gateway → Graph emulator over loopback (${users} concurrent users, closed loop)`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await run('in-process (memory)', createMemoryKeyValue(), messages, users);
  if (await redisAnswers(redisUrl)) await run('Redis state', createRedisKeyValue(redisUrl, { keyPrefix: `bench:${Date.now()}:` }), messages, users);
  else console.log(`  Redis state            skipped: no Redis answers at ${redisUrl}`);
  console.log('  (server in this process; load generator + Graph emulator in a child process on the same machine; not the durable BullMQ queue)');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWhatsApp();
