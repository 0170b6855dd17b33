import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createAgent, type LowConfidenceHandler } from './agent/agent.ts';
import type { GeminiAgent } from './agent/gemini/index.ts';
import { createNlu, type Nlu } from './agent/nlu/index.ts';
import type { Env } from './config/env.ts';
import { loadMessages, type Messages } from './config/messages.ts';
import type { IspConfig } from './config/schema.ts';
import { resolveActor } from './domain/actors.ts';
import type { FlowDeps } from './flows/flow.ts';
import { allFlows } from './flows/index.ts';
import { createGateway, type Gateway } from './gateway.ts';
import { combineNotifiers, createRecordingNotifier, type Notifier, type StaffAlert } from './notify/notifier.ts';
import { openStore } from './sheets/openStore.ts';
import type { Store } from './sheets/store.ts';
import type { KeyValueStore } from './state/keyValue.ts';
import { openSqliteKeyValue } from './state/sqliteKeyValue.ts';
import { createRedisKeyValue } from './state/redisKeyValue.ts';
import { createSessionStore } from './state/sessionStore.ts';
import { countStoreWrites } from './metrics/countingStore.ts';
import type { Metrics } from './metrics/metrics.ts';
import { createUserRateLimit, type UserRateLimitOptions } from './userRateLimit.ts';

export interface AppOptions {
  config: IspConfig;
  env: Env;
  logger: Logger;
  /** Defaults to the catalogue in env.MESSAGES_DIR. */
  messages?: Messages;
  /** Injected by tests and by later adapters (Google Sheets); defaults to the local store in DATA_DIR. */
  store?: Store;
  /** Defaults to Redis when REDIS_URL is set, else a SQLite file in DATA_DIR. */
  kv?: KeyValueStore;
  /** Channels that deliver staff alerts (Telegram, WhatsApp); alerts are always logged. */
  alertChannels?: Notifier[];
  lowConfidence?: LowConfidenceHandler;
  clock?: () => Date;
  /** Prometheus metrics built by the caller (serverMode); none = nothing recorded. */
  metrics?: Metrics;
  /** Per-user flood control (Redis when REDIS_URL is set); off when absent. */
  rateLimit?: Omit<UserRateLimitOptions, 'redisUrl'>;
}

export interface App {
  gateway: Gateway;
  deps: FlowDeps;
  nlu: Nlu;
  /** Every staff alert raised since start (also logged and sent to the alert channels). */
  alerts: StaffAlert[];
  /** The Gemini agent when GEMINI_API_KEY is set (its usage counters). */
  gemini?: GeminiAgent;
  close(): Promise<void>;
}

/** The composition root: builds stores, agent and gateway from config; nothing else wires modules. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, env, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const messages = options.messages ?? loadMessages(env.MESSAGES_DIR);
  const needsDataDir = !options.store || !options.kv;
  if (needsDataDir) mkdirSync(env.DATA_DIR, { recursive: true });
  const kv =
    options.kv ?? (env.REDIS_URL ? createRedisKeyValue(env.REDIS_URL) : openSqliteKeyValue(join(env.DATA_DIR, 'state.db')));
  const openedStore = options.store ?? (await openStore({ env, config, logger, kv, ...(options.metrics ? { sheetsMetrics: options.metrics.sheets } : {}) }));
  const store = options.metrics ? countStoreWrites(openedStore, options.metrics) : openedStore;

  const alertLog: Notifier = {
    async notifyStaff(alert) {
      logger.info({ alert: alert.kind, ref: alert.ref }, 'staff alert');
    },
  };
  const delivery = combineNotifiers([alertLog, ...(options.alertChannels ?? [])], (err, alert) =>
    logger.error({ err, alert: alert.kind, ref: alert.ref }, 'staff alert not delivered'),
  );
  const notifier = createRecordingNotifier(delivery);
  const deps: FlowDeps = { config, msg: messages, store, kv, notifier, clock };
  const nlu = await createNlu({
    zones: config.zones,
    outsideCoverage: config.outsideCoverage,
    plansMbps: config.plans.map((p) => p.mbps),
  });
  // Gemini answers what the offline NLU cannot place, when a key is set and the caller brought no handler of its own.
  const gemini =
    !options.lowConfidence && env.GEMINI_API_KEY
      ? // Loaded only with a key: without Gemini the server does not carry its SDK.
        (await import('./agent/gemini/index.ts')).createGeminiAgent({ apiKey: env.GEMINI_API_KEY, model: env.GEMINI_MODEL, ...(env.GEMINI_BASE_URL ? { baseUrl: env.GEMINI_BASE_URL } : {}), deps, logger })
      : undefined;
  if (!env.GEMINI_API_KEY) logger.debug('Gemini off (GEMINI_API_KEY not set): the offline NLU and flows answer everything');
  const lowConfidence = options.lowConfidence ?? gemini?.handle;
  if (gemini && options.metrics) options.metrics.observeGemini(() => gemini.usage.snapshot());
  const rateLimit = options.rateLimit ? createUserRateLimit({ ...options.rateLimit, ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) }) : undefined;
  const agent = createAgent({ deps, nlu, flows: allFlows, ...(lowConfidence ? { lowConfidence } : {}) });
  const gateway = createGateway({
    kv,
    sessions: createSessionStore(kv, config.sessions.ttlMinutes * 60_000, () => clock().getTime()),
    agent,
    resolveActor: (msg) => resolveActor({ config, store, kv }, msg),
    logger,
    clock,
    historyTurns: config.sessions.historyTurns,
    errorReply: { text: messages.t('common.error') },
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(rateLimit ? { rateLimit, rateLimitedReply: { text: messages.t('common.rateLimited') } } : {}),
  });

  return {
    gateway,
    deps,
    nlu,
    alerts: notifier.alerts,
    ...(gemini ? { gemini } : {}),
    async close() {
      await Promise.allSettled([store.close(), kv.close(), rateLimit?.close()]);
    },
  };
}
