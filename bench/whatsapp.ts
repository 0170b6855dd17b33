/**
 * `npm run bench`, WhatsApp section (printed, never asserted): the real WhatsApp webhook over HTTP
 * on loopback (Meta-signed payloads), the real app and gateway (offline NLU), replies going to the
 * Graph API emulator. The load generator and the emulator run in a child process
 * (bench/whatsappLoad.ts). Deployments, all real `launcher --mode whatsapp` processes (run from
 * the compiled dist/ when `npm run build` made a fresh one, else through tsx; the header says which):
 *  - the yardstick: a signature-check-and-echo server with no dependencies (bench/echoGateway.ts),
 *    which tells what the load generator and the emulator leave of the machine on this run;
 *  - no Redis: the in-process pipeline, state in the local SQLite file;
 *  - Redis queue × 1 and × 2: on a private Redis (appendonly, fsync every second) with the durable
 *    BullMQ queue; load round-robin over them.
 * Per deployment: a warm-up, a closed loop (each virtual user sends its next message once the
 * previous one was answered: sustained msg/s, ack p50/p99, turn p50/p99 = POST sent → first reply
 * accepted by the emulator), an open loop at 1,000 msg/s (ack and turn p50/p99 at that offered
 * rate), and a 10,000-conversation working set (10,000 people writing at 1,000 msg/s), with server
 * RSS, and RSS with heap in use at rest afterwards.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { PHONE_NUMBER_ID } from '../test/channels/whatsapp/fixtures/metaPayloads.ts';
import { startLauncher, type LauncherProcess } from '../test/support/launcher.ts';
import { freePort, startPrivateRedis, type PrivateRedis } from '../test/support/redisServer.ts';
import { sample } from '../test/scale/scaleStack.ts';
import { compiledEntry } from '../bin/compiled.mjs';
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
  /** JavaScript heap in use in the largest server process now (MB). */
  heapUsedMb(): Promise<number>;
  /** CPU time the server process(es) used so far (ms, user + system). */
  cpuMs(): Promise<number>;
  /** Resolves when every accepted message was handled. */
  idle(): Promise<void>;
  /** Sends a signal to the server processes (launchers). */
  signal?(signal: NodeJS.Signals): void;
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

/** A process's resident set from /proc, in bytes; 0 where there is no /proc. */
function residentBytes(pid: number | undefined): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

const waEnv = (graphUrl: string): Record<string, string> => ({
  WHATSAPP_ACCESS_TOKEN: TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_VERIFY_TOKEN: 'v',
  WHATSAPP_GRAPH_URL: graphUrl,
});

/** The yardstick: a dependency-free signature-check-and-echo gateway in a child process of its own (bench/echoGateway.ts). */
async function echo(graphUrl: string): Promise<Deployment> {
  const child = fork(root('bench/echoGateway.ts'), [], { env: process.env });
  const reply = <T>(type: string): Promise<T> =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => m.type === type && (child.off('message', on), resolve(m as T));
      child.on('message', on);
    });
  const ready = reply<{ url: string }>('ready');
  child.send({ graphUrl, appSecret: SECRET, phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN });
  const { url } = await ready;
  const usage = async () => {
    const answer = reply<{ cpuMs: number; rssMb: number; heapUsedMb: number }>('usage');
    child.send({ type: 'usage' });
    return answer;
  };
  let peak = 0;
  const sampler = setInterval(() => void usage().then((u) => (peak = Math.max(peak, u.rssMb))), 250);
  return {
    urls: [url],
    rssPeakMb: async () => {
      const now = (await usage()).rssMb;
      const mb = Math.max(peak, now);
      peak = now;
      return mb;
    },
    rssNowMb: async () => (await usage()).rssMb,
    heapUsedMb: async () => (await usage()).heapUsedMb,
    cpuMs: async () => (await usage()).cpuMs,
    idle: async () => undefined,
    async close() {
      clearInterval(sampler);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/**
 * `count` real launcher processes (`launcher --mode whatsapp`, the production shape): on a private
 * Redis with the durable queue, or (`redis: false`, one process) with no Redis at all: the
 * in-process pipeline and state in the local SQLite file, as an ISP without Redis runs it.
 */
async function launchers(graphUrl: string, count: number, options: { redis: boolean } = { redis: true }): Promise<Deployment> {
  const redis: PrivateRedis | undefined = options.redis ? await startPrivateRedis({ fsync: 'everysec' }) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-wa-'));
  const env = {
    DATA_DIR: dataDir,
    // BENCH_WA_LOG_LEVEL=info: the launchers' default (a log line per turn) instead of warnings only.
    LOG_LEVEL: process.env.BENCH_WA_LOG_LEVEL ?? 'warn',
    ...(redis ? { REDIS_URL: redis.url } : {}),
    MESSAGING_HOST: '127.0.0.1',
    MESSAGING_PORT: '0',
    // Above Meta's ceiling (1,000/s per number): the emulator takes any rate and the bench measures the gateway.
    WHATSAPP_SENDS_PER_SECOND: '10000',
    ...waEnv(graphUrl),
    // HEAP_GROWTH_PERCENT=0 npm run bench: the launchers on V8's own heap policy (default 50).
    ...(process.env.HEAP_GROWTH_PERCENT ? { HEAP_GROWTH_PERCENT: process.env.HEAP_GROWTH_PERCENT } : {}),
  };
  const procs: LauncherProcess[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    // BENCH_WA_LAUNCHER_ARGS: node options for the launchers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const nodeArgs = process.env.BENCH_WA_LAUNCHER_ARGS?.split(' ').filter(Boolean) ?? [];
    procs.push(await startLauncher(['--mode', 'whatsapp'], { ...env, MESSAGING_PORT: String(port) }, { port, nodeArgs }));
  }
  const scrape = async (p: LauncherProcess): Promise<string> => (await fetch(`${p.baseUrl}/metrics`)).text();
  /** One series from every launcher's /metrics. */
  const series = async (name: string): Promise<number[]> => (await Promise.all(procs.map(scrape))).map((t) => sample(t, name) ?? 0);
  const largest = async (name: string): Promise<number> => Math.max(...(await series(name)));
  const RSS = 'isp_process_resident_memory_bytes';
  let peak = 0;
  // Peak RSS read from /proc (Linux) rather than scraped from /metrics four times a second, which would load the server.
  const sampler = setInterval(() => {
    const now = Math.max(...procs.map((p) => residentBytes(p.child.pid)));
    if (now > 0) peak = Math.max(peak, now);
    else void largest(RSS).then((scraped) => (peak = Math.max(peak, scraped)), () => undefined);
  }, 250);
  return {
    urls: procs.map((p) => `${p.baseUrl}/webhook`),
    rssNowMb: async () => (await largest(RSS)) / 2 ** 20,
    heapUsedMb: async () => (await largest('isp_nodejs_heap_size_used_bytes')) / 2 ** 20,
    rssPeakMb: async () => {
      const now = await largest(RSS);
      const mb = Math.max(peak, now) / 2 ** 20;
      peak = now;
      return mb;
    },
    ...(redis ? { redisCalls: () => commandStats(redis.url) } : {}),
    signal: (signal) => void procs.forEach((p) => p.child.kill(signal)),
    cpuMs: async () => (await series('isp_process_cpu_seconds_total')).reduce((sum, seconds) => sum + seconds * 1000, 0),
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
      await redis?.stop();
      rmSync(dataDir, { recursive: true, force: true });
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
  await once('closed loop', { messages: o.messages, users: o.users, identities: 10 });
  if (process.env.BENCH_WA_QUICK) return;
  await once('open loop 1,000/s', { messages: o.messages, users: o.users * 10, ratePerSecond: 1_000 });
  await once(`working set ${o.workingSet.toLocaleString('en')} people`, { messages: o.workingSet, users: o.workingSet, ratePerSecond: 1_000 });
  // At rest: the backlog is gone, the 10,000 conversations' state stays (in this process without Redis).
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // BENCH_WA_AT_REST_SIGNAL=SIGUSR2 with BENCH_WA_LAUNCHER_ARGS="--heapsnapshot-signal=SIGUSR2": heap snapshots at rest.
  if (process.env.BENCH_WA_AT_REST_SIGNAL && deployment.signal) {
    deployment.signal(process.env.BENCH_WA_AT_REST_SIGNAL as NodeJS.Signals);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
  console.log(`  ${`${label}, at rest after the working set`.padEnd(40)} RSS ${(await deployment.rssNowMb()).toFixed(0)} MB, JS heap in use ${(await deployment.heapUsedMb()).toFixed(0)} MB`);
}

export async function benchWhatsApp(options: WhatsAppBenchOptions = {}): Promise<void> {
  const o: Required<WhatsAppBenchOptions> = { messages: options.messages ?? 3_000, users: options.users ?? 100, workingSet: options.workingSet ?? 10_000 };
  console.log(`\nWhatsApp webhook → gateway → Graph emulator over loopback (closed loop: ${o.users} virtual users)`);
  console.log(`  launchers run ${compiledEntry(root('.')) ? 'the compiled dist/ (npm run build)' : 'the TypeScript sources through tsx (npm run build first for the compiled ones)'}`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const deployments: [string, (graphUrl: string) => Promise<Deployment>][] = [
    ['yardstick: signature check + echo', echo],
    ['no Redis (in-process queue, SQLite state)', (g) => launchers(g, 1, { redis: false })],
    ['Redis queue × 1 instance', (g) => launchers(g, 1)],
    ['Redis queue × 2 instances', (g) => launchers(g, 2)],
  ];
  // BENCH_WA_ONLY=echo|local|redis1|redis2 (comma-separated) runs only those (profiling).
  const only = process.env.BENCH_WA_ONLY?.split(',');
  const picked = only ? deployments.filter((_, i) => only.includes(['echo', 'local', 'redis1', 'redis2'][i]!)) : deployments;
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
