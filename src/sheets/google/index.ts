import type { Logger } from 'pino';
import type { Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import type { Store } from '../store.ts';

export interface SheetsStoreOptions {
  env: Env;
  config: IspConfig;
  logger: Logger;
  /** Shared state for the quota limiter and the write outbox when Redis is configured. */
  kv: KeyValueStore;
  /** Where the local outbox lives when there is no Redis. */
  dataDir: string;
}

// PLACEHOLDER — the Google Sheets adapter is being built.
export function openSheetsStore(_options: SheetsStoreOptions): Store {
  throw new Error('The Google Sheets adapter is not built yet: unset GOOGLE_SHEETS_ID to use the local store.');
}
