/**
 * The Google Sheets adapter of the Store port (GOOGLE_SHEETS_ID set): wires the client,
 * the shared quota limiter, the read cache, the durable outbox and its background flusher.
 * Files: credentials (service account, self-signed JWT) → sheetsApi (client + quota + retry) →
 * sheetCache (reads, tabData/sheetView) and flusher (writes, writePlan) over the outbox
 * (sqliteOutbox / redisOutbox); sheetsStore is the Store port itself; sheetSetup is init/status.
 * The factory is synchronous and connects lazily: the first read fetches the sheet.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import type { Store } from '../store.ts';
import { createJwtClient, loadServiceAccount, SheetsConfigError } from './credentials.ts';
import { createFlusher, type FlushReport } from './flusher.ts';
import { createFlushScheduler } from './flushScheduler.ts';
import { createIdAllocator } from './idAllocator.ts';
import type { Outbox, OutboxStats } from './outbox.ts';
import { createQuotaLimiter } from './quotaLimiter.ts';
import { createRedisOutbox } from './redisOutbox.ts';
import { createSheetCache } from './sheetCache.ts';
import { createSheetsApi, type SheetsApi } from './sheetsApi.ts';
import type { SheetsMetricsSink } from './sheetsMetrics.ts';
import { createSheetsStore } from './sheetsStore.ts';
import { openSqliteOutbox } from './sqliteOutbox.ts';

export { SheetsConfigError } from './credentials.ts';
export type { SheetsMetricsSink } from './sheetsMetrics.ts';

export interface SheetsStoreOptions {
  env: Env;
  config: IspConfig;
  logger: Logger;
  /** Shared state for the quota limiter and the write outbox when Redis is configured. */
  kv: KeyValueStore;
  /** Where the local outbox lives when there is no Redis. */
  dataDir: string;
  /** Tests and the bench: faster clocks and shorter waits. */
  tuning?: SheetsTuning;
  /** Requests by kind and outcome, 429s and the outbox size (Prometheus in server modes). */
  metrics?: SheetsMetricsSink;
}

export interface SheetsTuning {
  clock?: () => number;
  /** Per-request backoff (default 1 s doubling to 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Backoff of a write kept in the outbox (default 2 s doubling to 5 min). */
  outboxRetryBaseMs?: number;
  outboxRetryMaxMs?: number;
  /** Google's "minute" for the quota limiter (default 60 000). */
  quotaWindowMs?: number;
  /** How long close() may spend sending what is left (default 15 s). */
  closeTimeoutMs?: number;
  /** Prefix of our Redis keys (default `isp:`). */
  redisKeyPrefix?: string;
  random?: () => number;
}

export interface SheetsStore extends Store {
  /** Sends everything pending now (also entries waiting for their retry time). */
  flush(): Promise<FlushReport>;
  backlog(): Promise<OutboxStats>;
  /** API requests sent since open (attempts included). */
  readonly requests: SheetsApi['sent'];
}

const SWEEP_MS = 30_000;

export function openSheetsStore(options: SheetsStoreOptions): SheetsStore {
  const { env, config, kv, tuning = {} } = options;
  const spreadsheetId = env.GOOGLE_SHEETS_ID;
  if (!spreadsheetId) throw new SheetsConfigError('GOOGLE_SHEETS_ID is not set');
  const account = loadServiceAccount(env);
  const logger = options.logger.child({ component: 'sheets' });
  const settings = config.sheet.google;
  const clock = tuning.clock ?? Date.now;
  const random = tuning.random ?? Math.random;
  const keyPrefix = tuning.redisKeyPrefix ?? 'isp:';

  const redis = kv.kind === 'redis' && env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err: Error) => logger.debug({ error: err.message }, 'Redis (Sheets limiter/outbox) error'));
  const closing = new AbortController();
  const limiter = createQuotaLimiter({
    readsPerMinute: settings.readsPerMinute,
    writesPerMinute: settings.writesPerMinute,
    user: account.client_email,
    keyPrefix,
    ...(redis ? { redis } : {}),
    ...(tuning.quotaWindowMs ? { windowMs: tuning.quotaWindowMs } : {}),
  });
  const api = createSheetsApi({
    spreadsheetId,
    jwt: createJwtClient(account),
    ...(env.SHEETS_API_ROOT ? { rootUrl: env.SHEETS_API_ROOT } : {}),
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    limiter,
    retry: { maxAttempts: settings.maxAttempts, baseDelayMs: tuning.retryBaseMs ?? 1000, maxDelayMs: tuning.retryMaxMs ?? 30_000, random },
    logger,
    signal: closing.signal,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  let outbox: Outbox;
  if (redis) outbox = createRedisOutbox(redis, keyPrefix, spreadsheetId);
  else {
    mkdirSync(options.dataDir, { recursive: true });
    outbox = openSqliteOutbox(join(options.dataDir, 'sheets-outbox.db'), spreadsheetId, clock);
  }
  options.metrics?.observeOutbox(() => outbox.stats());
  const titles = { Clientes: config.sheet.tabs.customers, Incidentes: config.sheet.tabs.incidents, Prospectos: config.sheet.tabs.prospects };
  const aliases = config.sheet.columnAliases;
  const cache = createSheetCache({ api, outbox, titles, aliases, ttlMs: settings.cacheTtlSeconds * 1000, logger, clock });
  const flusher = createFlusher({
    api,
    outbox,
    logger,
    owner: randomUUID(),
    readTabs: (fresh) => (fresh ? cache.refresh() : cache.tabs()),
    clock,
    retryBaseMs: tuning.outboxRetryBaseMs ?? 2000,
    retryMaxMs: tuning.outboxRetryMaxMs ?? 300_000,
    // Longer than the slowest flush (a few requests, each up to maxAttempts × (timeout + backoff)); renewed per request.
    leaseMs: 10 * 60_000,
    random,
  });

  const scheduler = createFlushScheduler({
    flushDue: (all) => flusher.flushDue(all),
    writeDelayMs: settings.writeDelaySeconds * 1000,
    sweepMs: SWEEP_MS,
    clock,
    random,
    logger,
  });
  let closed = false;

  const store = createSheetsStore({
    cache,
    outbox,
    ids: createIdAllocator(kv, `sheets:${spreadsheetId}`),
    aliases,
    now: () => new Date(clock()),
    written: () => scheduler.written(),
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      const deadline = setTimeout(() => closing.abort(), tuning.closeTimeoutMs ?? 15_000);
      try {
        // Another process sharing the outbox may be flushing right now: wait for its lease, then send
        // what is left, so a clean stop leaves nothing behind (bounded by closeTimeoutMs).
        while ((await outbox.list()).length && !closing.signal.aborted) {
          const report = await flusher.flushDue(true);
          if (!report.busy) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } catch (err) {
        logger.warn({ error: (err as Error).message }, 'Sheets: last flush before closing failed');
      } finally {
        clearTimeout(deadline);
        closing.abort();
      }
      const left = await outbox.stats().catch(() => undefined);
      if (left?.pending) logger.warn({ pending: left.pending, outbox: outbox.kind }, 'writes wait in the outbox; they are sent at the next start');
      await outbox.close();
      await redis?.quit().catch(() => redis.disconnect());
    },
  });
  return Object.assign(store, {
    flush: () => scheduler.flushNow(),
    backlog: () => outbox.stats(),
    requests: api.sent,
  });
}
