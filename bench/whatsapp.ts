/**
 * `npm run bench`, WhatsApp section (printed, never asserted): the real WhatsApp webhook over HTTP
 * on loopback (Meta-signed payloads), the real app and gateway (offline NLU), replies going to the
 * Graph API emulator. The load generator and the emulator run in a child process
 * (bench/whatsappLoad.ts). Three deployments:
 *  - in-process: the server in this process, no Redis (memory state, in-process pipeline);
 *  - Redis queue × 1 and × 2: real `launcher --mode whatsapp` processes on a private Redis
 *    (appendonly, fsync every second) with the durable BullMQ queue; load round-robin over them.
 * Per deployment: a warm-up, a closed loop (each virtual user sends its next message once the
 * previous one was answered: sustained msg/s, ack p50/p99, turn p50/p99 = POST sent → reply
 * accepted by the emulator), an open loop at 1,000 msg/s (ack p50/p99 at that offered rate), and a
 * 10,000-conversation working set (10,000 people writing at 1,000 msg/s), with server RSS.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { createHttpServer } from '../src/channels/httpServer.ts';
import { createWhatsAppChannel } from '../src/channels/whatsapp/index.ts';
import { parseEnv } from '../src/config/env.ts';
import { loadConfig } from '../src/config/loadConfig.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { openLocalStore } from '../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../src/state/memoryKeyValue.ts';
import { PHONE_NUMBER_ID } from '../test/channels/whatsapp/fixtures/metaPayloads.ts';
import { startLauncher, type LauncherProcess } from '../test/support/launcher.ts';
import { freePort, startPrivateRedis, type PrivateRedis } from '../test/support/redisServer.ts';
import { sample } from '../test/scale/scaleStack.ts';
import { startEchoGateway } from './echoGateway.ts';
import type { LoadResult, LoadRun } from './whatsappLoad.ts';

const root = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));
const SECRET = 'bench-app-secret';
const TOKEN = 'EAAbench-token';

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

export interface WhatsAppBenchOptions {
  /** Messages per closed/open-loop run (default 3,000). */
  messages?: number;
  /** Concurrent virtual users in the closed loop (default 100). */
  users?: number;
  /** People in the working-set run (default 10,000). */
  workingSet?: number;
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

/** What a run needs of the deployment under test. */
interface Deployment {
  urls: string[];
  /** Peak resident memory of the largest server process since the last call (MB). */
  rssPeakMb(): Promise<number>;
  /** Resident memory of the largest server process now (MB), after the garbage collector ran when it can be asked to. */
  rssNowMb(): Promise<number>;
  /** CPU time the server process(es) used so far (ms, user + system). */
  cpuMs(): Promise<number>;
  /** Resolves when every accepted message was handled. */
  idle(): Promise<void>;
  /** Redis commands run so far, by command (Redis deployments). */
  redisCalls?(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** Calls per command from INFO commandstats (scripts count as evalsha, their inner commands too). */
async function commandStats(url: string): Promise<Map<string, number>> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  const info = await client.info('commandstats');
  client.disconnect();
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  return calls;
}

const waEnv = (graphUrl: string): Record<string, string> => ({
  WHATSAPP_ACCESS_TOKEN: TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_VERIFY_TOKEN: 'v',
  WHATSAPP_GRAPH_URL: graphUrl,
});

const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The yardstick: a dependency-free signature-check-and-echo gateway in this process (bench/echoGateway.ts). */
async function echo(graphUrl: string): Promise<Deployment> {
  const gateway = await startEchoGateway({ appSecret: SECRET, graphUrl, phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN });
  const rss = async (): Promise<number> => process.memoryUsage().rss / 2 ** 20;
  return { urls: [gateway.url], rssPeakMb: rss, rssNowMb: rss, cpuMs: async () => ownCpuMs(), idle: async () => undefined, close: () => gateway.close() };
}

/** The server in this process: memory state, the in-process pipeline, no flood limit. */
async function inProcess(graphUrl: string): Promise<Deployment> {
  const config = loadConfig(root('config/isp.yaml'));
  const env = parseEnv({ DATA_DIR: '/nonexistent', ...waEnv(graphUrl) });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ processMetrics: false });
  const kv = createMemoryKeyValue();
  const channel = createWhatsAppChannel({ env, config, logger }, { sendsPerSecond: 1_000_000 });
  const app = await createApp({ config, env, logger, kv, store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }), alertChannels: [channel.notifier], metrics });
  const http = createHttpServer({ host: '127.0.0.1', port: 0, logger, metrics });
  await channel.start({ gateway: app.gateway, http: http.app, route: http.route, kv, metrics });
  const url = `http://127.0.0.1:${await http.listen()}/webhook`;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    urls: [url],
    rssPeakMb: async () => {
      const mb = Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
      peak = process.memoryUsage().rss;
      return mb;
    },
    rssNowMb: async () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().rss / 2 ** 20;
    },
    cpuMs: async () => ownCpuMs(),
    idle: () => channel.idle(),
    async close() {
      clearInterval(sampler);
      await channel.stop();
      await http.close();
      await app.close();
    },
  };
}

/** `count` real launcher processes on a private Redis with the durable queue (the production shape). */
async function launchers(graphUrl: string, count: number): Promise<Deployment> {
  const redis: PrivateRedis = await startPrivateRedis({ fsync: 'everysec' });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-wa-'));
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    MESSAGING_HOST: '127.0.0.1',
    MESSAGING_PORT: '0',
    WHATSAPP_SENDS_PER_SECOND: '1000',
    ...waEnv(graphUrl),
  };
  const procs: LauncherProcess[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    // BENCH_WA_LAUNCHER_ARGS: node options for the launchers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const nodeArgs = process.env.BENCH_WA_LAUNCHER_ARGS?.split(' ').filter(Boolean) ?? [];
    procs.push(await startLauncher(['--mode', 'whatsapp'], { ...env, MESSAGING_PORT: String(port) }, { port, nodeArgs }));
  }
  const scrape = async (p: LauncherProcess): Promise<string> => (await fetch(`${p.baseUrl}/metrics`)).text();
  let peak = 0;
  const sampler = setInterval(() => {
    void Promise.all(procs.map(scrape)).then(
      (texts) => (peak = Math.max(peak, ...texts.map((t) => sample(t, 'isp_process_resident_memory_bytes') ?? 0))),
      () => undefined,
    );
  }, 250);
  return {
    urls: procs.map((p) => `${p.baseUrl}/webhook`),
    rssNowMb: async () => Math.max(...(await Promise.all(procs.map(scrape))).map((t) => sample(t, 'isp_process_resident_memory_bytes') ?? 0)) / 2 ** 20,
    rssPeakMb: async () => {
      const now = Math.max(...(await Promise.all(procs.map(scrape))).map((t) => sample(t, 'isp_process_resident_memory_bytes') ?? 0));
      const mb = Math.max(peak, now) / 2 ** 20;
      peak = now;
      return mb;
    },
    redisCalls: () => commandStats(redis.url),
    cpuMs: async () => (await Promise.all(procs.map(scrape))).reduce((sum, t) => sum + (sample(t, 'isp_process_cpu_seconds_total') ?? 0) * 1000, 0),
    async idle() {
      for (;;) {
        const waiting = sample(await scrape(procs[0]!), 'isp_inbound_queue_waiting') ?? 0;
        if (waiting === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      clearInterval(sampler);
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startProfile(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}

let userOffset = 0;

async function measure(label: string, deployment: Deployment, load: Load, o: Required<WhatsAppBenchOptions>): Promise<void> {
  const once = async (name: string, r: Omit<LoadRun, 'type' | 'secret' | 'urls' | 'userOffset'>): Promise<void> => {
    const cpuBefore = await deployment.cpuMs();
    const callsBefore = await deployment.redisCalls?.();
    const res = await load.run({ ...r, urls: deployment.urls, userOffset });
    userOffset += r.users * (r.identities ?? 1);
    await deployment.idle();
    const serverCpu = (await deployment.cpuMs()) - cpuBefore;
    const callsAfter = await deployment.redisCalls?.();
    const acks = res.acks.sort((a, b) => a - b);
    const turns = res.turns.sort((a, b) => a - b);
    const rate = (r.ratePerSecond ? res.acks.length : turns.length) / res.seconds;
    console.log(
      `  ${`${label}, ${name}`.padEnd(40)} ${String(r.messages).padStart(6)} msgs  ${rate.toFixed(0).padStart(5)} msg/s  ` +
        `ack p50 ${ms(pct(acks, 50))} p99 ${ms(pct(acks, 99))}  ` +
        (turns.length ? `turn p50 ${ms(pct(turns, 50))} p99 ${ms(pct(turns, 99))}  ` : '') +
        `RSS ${(await deployment.rssPeakMb()).toFixed(0)} MB  replies ${res.replies}${res.errors ? `  errors ${res.errors}` : ''}  ` +
        `CPU/msg server ${(serverCpu / r.messages).toFixed(2)} ms, load+emulator ${(res.cpuMs / r.messages).toFixed(2)} ms`,
    );
    if (callsAfter && process.env.BENCH_WA_REDIS_CALLS) {
      const per = [...callsAfter].map(([cmd, n]) => [cmd, (n - (callsBefore?.get(cmd) ?? 0)) / r.messages] as const).filter(([, n]) => n > 0.01).sort((a, b) => b[1] - a[1]);
      console.log(`    Redis commands per message: ${per.reduce((sum, [, n]) => sum + n, 0).toFixed(1)} (${per.map(([cmd, n]) => `${cmd} ${n.toFixed(2)}`).join(', ')})`);
    }
  };
  // Each virtual user writes as 10 people in turn: nobody passes the per-user flood limit (12 per 10 s).
  await once('warm-up', { messages: Math.min(500, o.messages), users: o.users, identities: 10 });
  // BENCH_WA_PROFILE=<dir>: a CPU profile of this process over the closed loop (the in-process server).
  const profile = process.env.BENCH_WA_PROFILE ? await startProfile() : undefined;
  await once('closed loop', { messages: o.messages, users: o.users, identities: 10 });
  if (profile) console.log(`  CPU profile: ${await profile.stop(join(process.env.BENCH_WA_PROFILE!, `${label.replace(/\W+/g, '-')}.cpuprofile`))}`);
  if (process.env.BENCH_WA_QUICK) return;
  await once('open loop 1,000/s', { messages: o.messages, users: o.users * 10, ratePerSecond: 1_000 });
  await once(`working set ${o.workingSet.toLocaleString('en')} people`, { messages: o.workingSet, users: o.workingSet, ratePerSecond: 1_000 });
  // At rest: the backlog is gone, the 10,000 conversations' state stays (in this process without Redis).
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  console.log(`  ${`${label}, at rest after the working set`.padEnd(40)} RSS ${(await deployment.rssNowMb()).toFixed(0)} MB`);
}

export async function benchWhatsApp(options: WhatsAppBenchOptions = {}): Promise<void> {
  const o: Required<WhatsAppBenchOptions> = { messages: options.messages ?? 3_000, users: options.users ?? 100, workingSet: options.workingSet ?? 10_000 };
  console.log(`\nWhatsApp webhook → gateway → Graph emulator over loopback (closed loop: ${o.users} virtual users)`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const deployments: [string, (graphUrl: string) => Promise<Deployment>][] = [
    ['yardstick: signature check + echo', echo],
    ['in-process (no Redis)', inProcess],
    ['Redis queue × 1 instance', (g) => launchers(g, 1)],
    ['Redis queue × 2 instances', (g) => launchers(g, 2)],
  ];
  // BENCH_WA_ONLY=echo|in-process|redis1|redis2 (comma-separated) runs only those (profiling).
  const only = process.env.BENCH_WA_ONLY?.split(',');
  const picked = only ? deployments.filter((_, i) => only.includes(['echo', 'in-process', 'redis1', 'redis2'][i]!)) : deployments;
  for (const [label, start] of picked) {
    const load = await startLoad();
    let deployment: Deployment;
    try {
      deployment = await start(load.graphUrl);
    } catch (err) {
      console.log(`  ${label.padEnd(40)} skipped: ${(err as Error).message.split('\n')[0]}`);
      load.close();
      continue;
    }
    try {
      await measure(label, deployment, load, o);
    } finally {
      load.close();
      await deployment.close();
    }
  }
  console.log('  (load generator + Graph emulator in one child process on the same machine; launchers log at warn)');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWhatsApp();
