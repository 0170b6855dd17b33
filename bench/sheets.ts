/**
 * `npm run bench`, Google Sheets section (printed, never asserted). The real app on the Sheets
 * store, through the real client library, against the Sheets API emulator on 127.0.0.1:
 * - requests per 1,000 agent turns on a realistic mix, sent as a burst (against an emulator
 *   enforcing Google's 60 requests/min per user: 429s met, writes lost or duplicated) and at a
 *   busy-hour pace (where the count depends on the cache TTL and the write delay);
 * - the same burst overloaded on purpose (limiter set above the quota, cache and batching off)
 *   to show 429s being absorbed by backoff and the outbox without losing a write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { createChatSession } from '../src/channels/console/chatSession.ts';
import { parseEnv } from '../src/config/env.ts';
import { loadConfig } from '../src/config/loadConfig.ts';
import type { IspConfig } from '../src/config/schema.ts';
import { loadDemoData } from '../src/data/demoData.ts';
import { tabHeaders } from '../src/sheets/columns.ts';
import { openSheetsStore, type SheetsTuning } from '../src/sheets/google/index.ts';
import { openLocalStore } from '../src/sheets/local/localStore.ts';
import { TAB_NAMES } from '../src/sheets/records.ts';
import { createMemoryKeyValue } from '../src/state/memoryKeyValue.ts';
import { makeServiceAccount } from '../test/emulators/sheets/auth.ts';
import type { Cell } from '../test/emulators/sheets/grid.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../test/emulators/sheets/server.ts';
import { SCRIPTS } from './scripts.ts';

const root = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));


interface RunOptions {
  label: string;
  turns: number;
  /** ms between turn starts; 0 = a burst. */
  intervalMs: number;
  tweak?: (c: IspConfig) => void;
  tuning?: SheetsTuning;
  quota?: SheetsEmulator['quota'];
}

interface RunResult {
  reads: number;
  writes: number;
  rateLimited: number;
  seconds: number;
  drainSeconds: number;
  created: number;
  lost: number;
  duplicated: number;
  conversations: number;
}

async function demoTabs(config: IspConfig): Promise<{ tabs: Record<string, Cell[][]>; phones: string[] }> {
  const local = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases });
  await loadDemoData(local, config, { seed: 7, customers: 500 });
  const tabs: Record<string, Cell[][]> = {};
  for (const tab of TAB_NAMES) {
    const headers = tabHeaders(tab);
    tabs[tab] = [headers, ...(await local.exportRows(tab)).map((r) => headers.map((h) => r[h] ?? ''))];
  }
  const phones = (await local.listCustomers()).filter((c) => c.status === 'activo').map((c) => c.phone);
  await local.close();
  return { tabs, phones };
}

async function run(o: RunOptions): Promise<RunResult> {
  const emulator = await startSheetsEmulator(o.quota ? { quota: o.quota } : {});
  const account = makeServiceAccount(`bench-${o.label.replace(/\W/g, '')}`);
  emulator.addServiceAccount(account.json.client_email, account.publicKey);
  const config = loadConfig(root('config/isp.yaml'));
  o.tweak?.(config);
  const { tabs, phones } = await demoTabs(config);
  const id = `bench-${o.label.replace(/\W/g, '')}`;
  emulator.create(id, tabs);
  const dir = mkdtempSync(join(tmpdir(), 'isp-bench-sheets-'));
  const env = parseEnv({ DATA_DIR: dir, GOOGLE_SHEETS_ID: id, GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(account.json), SHEETS_API_ROOT: emulator.url });
  const logger = pino({ level: 'silent' });
  const kv = createMemoryKeyValue();
  const store = openSheetsStore({ env, config, logger, kv, dataDir: dir, ...(o.tuning ? { tuning: o.tuning } : {}) });
  const created = new Set<string>();
  const createIncident = store.createIncident.bind(store);
  const createProspect = store.createProspect.bind(store);
  store.createIncident = async (input) => {
    const r = await createIncident(input);
    created.add(r.folio);
    return r;
  };
  store.createProspect = async (input) => {
    const r = await createProspect(input);
    created.add(r.id);
    return r;
  };
  const app = await createApp({ config, env, logger, store, kv });

  const started = performance.now();
  let turns = 0;
  let user = 0;
  while (turns < o.turns) {
    const script = SCRIPTS[user % SCRIPTS.length]!;
    const phone = script.phone ? phones[user % phones.length] : undefined;
    const chat = createChatSession(app.gateway, { user: `bench-${user}`, ...(script.staff ? { role: 'staff' as const } : {}), ...(phone ? { phone } : {}) });
    for (const line of script.lines) {
      const wait = started + turns * o.intervalMs - performance.now();
      // A channel delivers each message as an I/O event: yield to the event loop between turns
      // (in a burst too), so timers such as the write batcher run as they would in production.
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else await new Promise((r) => setImmediate(r));
      await chat.send(line);
      turns++;
    }
    user++;
  }
  const seconds = (performance.now() - started) / 1000;
  const drainStart = performance.now();
  for (let i = 0; i < 200 && (await store.backlog()).pending > 0; i++) await store.flush().catch(() => undefined);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  await app.close();

  const sheet = emulator.spreadsheet(id);
  const count = new Map<string, number>();
  for (const tab of ['Incidentes', 'Prospectos']) for (const row of sheet.text(tab).slice(1)) count.set(row[0]!, (count.get(row[0]!) ?? 0) + 1);
  const result: RunResult = {
    reads: emulator.count({ kind: 'read' }),
    writes: emulator.count({ kind: 'write' }),
    rateLimited: emulator.count({ status: 429 }),
    seconds,
    drainSeconds,
    created: created.size,
    lost: [...created].filter((k) => !count.has(k)).length,
    duplicated: [...count.values()].filter((n) => n > 1).length,
    conversations: user,
  };
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const per1000 = (n: number, turns: number) => ((n * 1000) / turns).toFixed(1);

export async function benchSheets(turns = Number(process.env.BENCH_SHEETS_TURNS ?? 1000)): Promise<void> {
  // Busy hour: 1,000 turns in an hour, replayed 240× faster — every duration of the adapter
  // (cache TTL, write delay, quota window, backoff) is divided by the same factor.
  const SPEED = 240;
  const burst = await run({ label: 'burst', turns, intervalMs: 0, quota: { perUser: 60, perProject: 300, windowMs: 60_000 } });
  console.log(
    `Sheets     mix, burst: ${per1000(burst.reads + burst.writes, turns)} requests / 1000 turns (reads ${burst.reads}, writes ${burst.writes}) — ` +
      `${turns} turns, ${burst.conversations} conversations in ${burst.seconds.toFixed(1)} s, ${burst.created} tickets/prospects created`,
  );
  console.log(
    `Sheets     the same burst vs an emulator enforcing 60 req/min/user: 429s met ${burst.rateLimited}, ` +
      `writes ${burst.created} → lost ${burst.lost}, duplicated ${burst.duplicated}; outbox drained ${burst.drainSeconds.toFixed(1)} s after the burst`,
  );
  for (const writeDelay of [2, 60]) {
    const paced = await run({
      label: `paced${writeDelay}`,
      turns,
      intervalMs: 3_600_000 / 1000 / SPEED,
      tweak: (c) => {
        c.sheet.google.cacheTtlSeconds /= SPEED;
        c.sheet.google.writeDelaySeconds = writeDelay / SPEED;
      },
      tuning: { quotaWindowMs: 60_000 / SPEED, retryBaseMs: 1000 / SPEED, outboxRetryBaseMs: 2000 / SPEED },
    });
    console.log(
      `Sheets     mix, busy hour (1000 turns/h, replayed ×${SPEED}), writeDelaySeconds ${writeDelay}: ${per1000(paced.reads + paced.writes, turns)} requests / 1000 turns ` +
        `(reads ${paced.reads}, writes ${paced.writes}) for ${paced.created} tickets/prospects`,
    );
  }
  // Overload: our limiter set to 300/min against Google's 60 and every write sent alone, so the
  // burst meets 429s; Google's minute is shortened to 12 s on both sides (our waits with it).
  const SCALE = 5;
  const overload = await run({
    label: 'overload',
    turns,
    intervalMs: 0,
    quota: { perUser: 60, perProject: 300, windowMs: 60_000 / SCALE },
    tweak: (c) => {
      c.sheet.google.writeDelaySeconds = 0;
      c.sheet.google.readsPerMinute = 300;
      c.sheet.google.writesPerMinute = 300;
    },
    tuning: { quotaWindowMs: 60_000 / SCALE, retryBaseMs: 1000 / SCALE, retryMaxMs: 30_000 / SCALE, outboxRetryBaseMs: 2000 / SCALE, outboxRetryMaxMs: 300_000 / SCALE },
  });
  console.log(
    `Sheets     overload (limiter 300/min vs quota 60/min, no write batching, minute ×${SCALE} shorter): ${overload.reads + overload.writes} requests, ` +
      `429s met ${overload.rateLimited}, writes ${overload.created} → lost ${overload.lost}, duplicated ${overload.duplicated}; ` +
      `turns took ${overload.seconds.toFixed(1)} s, drained ${overload.drainSeconds.toFixed(1)} s after`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSheets();
