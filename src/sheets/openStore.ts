import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Env } from '../config/env.ts';
import type { IspConfig } from '../config/schema.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import type { SheetsMetricsSink } from './google/sheetsMetrics.ts';
import { openLocalStore } from './local/localStore.ts';
import type { Store } from './store.ts';

/**
 * The ISP's own Google Sheet when GOOGLE_SHEETS_ID is set, else the local store in DATA_DIR.
 * `sheetsMetrics` receives the Sheets requests, 429s and outbox size (the local store has none).
 * The Google client is loaded only when a sheet is configured.
 */
export async function openStore(options: { env: Env; config: IspConfig; logger: Logger; kv: KeyValueStore; sheetsMetrics?: SheetsMetricsSink }): Promise<Store> {
  const { env, config } = options;
  if (env.GOOGLE_SHEETS_ID) {
    const { sheetsMetrics, ...rest } = options;
    const { openSheetsStore } = await import('./google/index.ts');
    return openSheetsStore({ ...rest, dataDir: env.DATA_DIR, ...(sheetsMetrics ? { metrics: sheetsMetrics } : {}) });
  }
  return openLocalStore({ file: join(env.DATA_DIR, 'isp.db'), columnAliases: config.sheet.columnAliases });
}
