/**
 * What the Sheets tests share: the emulator with a registered service account, an env that points
 * the real client library at it, and a store opened the way the app opens it (openSheetsStore).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseEnv, type Env } from '../../src/config/env.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { openSheetsStore, type SheetsStore, type SheetsTuning } from '../../src/sheets/google/index.ts';
import type { KeyValueStore } from '../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { makeServiceAccount, type TestServiceAccount } from '../emulators/sheets/auth.ts';
import type { Cell } from '../emulators/sheets/grid.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../emulators/sheets/server.ts';
import { shippedConfig } from '../support/harness.ts';

/** Short waits so retries and backoff do not slow the suite; the logic is the production one. */
export const FAST: SheetsTuning = { retryBaseMs: 5, retryMaxMs: 40, outboxRetryBaseMs: 20, outboxRetryMaxMs: 200, closeTimeoutMs: 10_000 };

export interface SheetsFixture {
  emulator: SheetsEmulator;
  account: TestServiceAccount;
  config: IspConfig;
  /** A new spreadsheet; `tabs` undefined = the three tabs with our headers, {} = no tabs. */
  sheet(tabs?: Record<string, Cell[][]>): string;
  env(spreadsheetId: string, extra?: Record<string, string>): Env;
  open(spreadsheetId: string, options?: { kv?: KeyValueStore; dataDir?: string; tuning?: SheetsTuning; config?: IspConfig; env?: Record<string, string> }): SheetsStore;
  close(): Promise<void>;
}

let counter = 0;

export const standardTabs = (): Record<string, Cell[][]> => ({
  Clientes: [tabHeaders('Clientes')],
  Incidentes: [tabHeaders('Incidentes')],
  Prospectos: [tabHeaders('Prospectos')],
});

export async function startSheetsFixture(): Promise<SheetsFixture> {
  const emulator = await startSheetsEmulator();
  const account = makeServiceAccount(`isp-bot-${process.pid}-${Date.now() % 100000}`);
  emulator.addServiceAccount(account.json.client_email, account.publicKey);
  const config = shippedConfig();
  // Our tests decide when to flush; the background flusher still runs, after this delay.
  config.sheet.google.writeDelaySeconds = 0.05;
  config.sheet.google.requestTimeoutSeconds = 5;
  config.sheet.google.readsPerMinute = 300;
  config.sheet.google.writesPerMinute = 300;
  const dirs: string[] = [];

  const env = (spreadsheetId: string, extra: Record<string, string> = {}) =>
    parseEnv({ GOOGLE_SHEETS_ID: spreadsheetId, GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(account.json), SHEETS_API_ROOT: emulator.url, LOG_LEVEL: 'silent', ...extra });

  return {
    emulator,
    account,
    config,
    sheet(tabs = standardTabs()) {
      const id = `sheet-${process.pid}-${++counter}`;
      emulator.create(id, tabs);
      return id;
    },
    env,
    open(spreadsheetId, o = {}) {
      const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'sheets-store-'));
      if (!o.dataDir) dirs.push(dataDir);
      return openSheetsStore({
        env: env(spreadsheetId, { DATA_DIR: dataDir, ...o.env }),
        config: o.config ?? config,
        logger: pino({ level: 'silent' }),
        kv: o.kv ?? createMemoryKeyValue(),
        dataDir,
        tuning: { ...FAST, ...o.tuning },
      });
    },
    async close() {
      await emulator.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` passes (no fixed sleeps); throws the last failure after the deadline. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
