/**
 * `npm run bench`: speed and memory of the offline path, printed (never asserted).
 * - NLU: start-up (training) time and classify latency over the held-out corpus.
 * - Gateway turns in-process on the real local store (SQLite file) with state in SQLite and in
 *   Redis (when one answers at REDIS_URL / 127.0.0.1:6379): turns/s, p50/p99 latency, RSS.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createNlu } from '../src/agent/nlu/index.ts';
import { createApp } from '../src/app.ts';
import { createChatSession } from '../src/channels/console/chatSession.ts';
import { parseEnv } from '../src/config/env.ts';
import { loadConfig } from '../src/config/loadConfig.ts';
import { loadDemoData } from '../src/data/demoData.ts';
import { openLocalStore } from '../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../src/state/keyValue.ts';
import { createRedisKeyValue } from '../src/state/redisKeyValue.ts';
import { openSqliteKeyValue } from '../src/state/sqliteKeyValue.ts';
import { SCRIPTS } from './scripts.ts';
import { benchSheets } from './sheets.ts';
import { benchWhatsApp } from './whatsapp.ts';

const root = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));
const config = loadConfig(root('config/isp.yaml'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const mb = (): string => `${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`;

async function benchNlu(): Promise<void> {
  const started = performance.now();
  const nlu = await createNlu({ zones: config.zones, outsideCoverage: config.outsideCoverage, plansMbps: config.plans.map((p) => p.mbps) });
  const startup = performance.now() - started;
  const lines = readFileSync(root('src/agent/nlu/corpus/heldout.tsv'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t')[1])
    .filter((t): t is string => Boolean(t));
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of lines) {
      const t = performance.now();
      nlu.classify(text);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`NLU        start-up ${ms(startup)}; classify ×${times.length}: p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`);
}


async function benchTurns(label: string, kvFactory: (dir: string) => KeyValueStore | undefined, turns: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'isp-bench-'));
  const kv = kvFactory(dir);
  if (!kv) {
    console.log(`${label.padEnd(10)} skipped (no Redis answering)`);
    return;
  }
  const store = openLocalStore({ file: join(dir, 'isp.db'), columnAliases: config.sheet.columnAliases });
  await loadDemoData(store, config, { seed: 7, customers: 500 });
  const phones = (await store.listCustomers()).filter((c) => c.status === 'activo').map((c) => c.phone);
  const app = await createApp({ config, env: parseEnv({ DATA_DIR: dir }), logger: pino({ level: 'silent' }), store, kv });
  const times: number[] = [];
  let user = 0;
  const started = performance.now();
  while (times.length < turns) {
    const script = SCRIPTS[user % SCRIPTS.length]!;
    const phone = script.phone ? phones[user % phones.length] : undefined;
    const chat = createChatSession(app.gateway, {
      user: `bench-${label}-${user}`,
      channel: 'console',
      ...(script.staff ? { role: 'staff' as const } : {}),
      ...(phone ? { phone } : {}),
    });
    for (const line of script.lines) {
      const t = performance.now();
      await chat.send(line);
      times.push(performance.now() - t);
    }
    user++;
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(10)} ${times.length} turns, ${user} conversations: ${(times.length / elapsed).toFixed(0)} turns/s sequential, ` +
      `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}, max ${ms(times.at(-1) ?? NaN)}, RSS ${mb()}`,
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const turns = Number(process.env.BENCH_TURNS ?? 2000);
console.log(`isp-gateway bench — ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${turns} turns per run`);
await benchNlu();
await benchTurns('sqlite', (dir) => openSqliteKeyValue(join(dir, 'state.db')), turns);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const hasRedis = await redisAnswers(redisUrl);
await benchTurns('redis', () => (hasRedis ? createRedisKeyValue(redisUrl, { keyPrefix: `bench:${process.pid}:` }) : undefined), turns);
await benchSheets();
await benchWhatsApp();
