import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { createApp, type App } from '../../../src/app.ts';
import type { RawRoute } from '../../../src/channels/channel.ts';
import { createHttpServer, type HttpServer } from '../../../src/channels/httpServer.ts';
import { createWhatsAppChannel, type WhatsAppChannel, type WhatsAppTuning } from '../../../src/channels/whatsapp/index.ts';
import { parseEnv } from '../../../src/config/env.ts';
import { createLogger } from '../../../src/logger.ts';
import { loadMessages } from '../../../src/config/messages.ts';
import type { IspConfig } from '../../../src/config/schema.ts';
import type { Customer } from '../../../src/sheets/records.ts';
import { openLocalStore } from '../../../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../../src/state/memoryKeyValue.ts';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../emulators/whatsapp/graphEmulator.ts';
import { metaJson, postDelivery, type PostOptions } from '../../emulators/whatsapp/metaWebhook.ts';
import { shippedConfig } from '../../support/harness.ts';
import { PHONE_NUMBER_ID } from './fixtures/metaPayloads.ts';

export const APP_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const VERIFY_TOKEN = 'conecta-verify-2026';
export const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAtest-access-token';

/** Fast retries for tests (production: 0.5 s doubling, 4 s for the pair limit). */
export const TEST_RETRY = { attempts: 4, baseMs: 5, maxMs: 40, slowBaseMs: 20 };

export interface WhatsAppStack {
  app: App;
  channel: WhatsAppChannel;
  graph: GraphEmulator;
  config: IspConfig;
  webhookUrl: string;
  /** Server-side time from request start to the response handed to the socket, per POST /webhook (ms). */
  ackTimes: number[];
  /** Serialises like Meta, signs with the app secret (unless `options.headers` says otherwise) and POSTs. */
  post(payload: unknown, options?: PostOptions): Promise<Response>;
  /** Posts (signed) and waits until the channel processed it and sent every reply. */
  deliver(payload: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface StackOptions {
  kv?: KeyValueStore;
  /** Share one emulator between stacks (several instances of the gateway). */
  graph?: GraphEmulator;
  graphOptions?: Partial<GraphEmulatorOptions>;
  customers?: Customer[];
  tweak?: (config: IspConfig) => void;
  env?: Record<string, string>;
  tuning?: Partial<WhatsAppTuning>;
  logger?: Logger;
}

/** The real app, the real express server on 127.0.0.1 and the WhatsApp channel, against the Graph emulator. */
export async function startWhatsAppStack(options: StackOptions = {}): Promise<WhatsAppStack> {
  const config = shippedConfig();
  options.tweak?.(config);
  const graph = options.graph ?? (await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, ...options.graphOptions }));
  const env = parseEnv({
    DATA_DIR: '/nonexistent',
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: graph.url,
    ...options.env,
  });
  const logger = options.logger ?? pino({ level: 'silent' });
  const channel = createWhatsAppChannel({ env, config, logger }, { retry: TEST_RETRY, ...options.tuning });
  const store = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases });
  if (options.customers?.length) await store.upsertCustomers(options.customers);
  const kv = options.kv ?? createMemoryKeyValue();
  const app = await createApp({
    config,
    env,
    logger,
    messages: loadMessages(fileURLToPath(new URL('../../../config/messages', import.meta.url))),
    store,
    kv,
    alertChannels: [channel.notifier],
  });
  const http: HttpServer = createHttpServer({ host: '127.0.0.1', port: 0, logger });
  const ackTimes: number[] = [];
  // The webhook POST is a node:http route: time its acknowledgements around the channel's handler.
  const route: RawRoute = (method, path, handler) =>
    http.route(method, path, (req, res) => {
      const started = performance.now();
      res.on('finish', () => ackTimes.push(performance.now() - started));
      handler(req, res);
    });
  await channel.start({ gateway: app.gateway, http: http.app, route, kv });
  const port = await http.listen();
  const webhookUrl = `http://127.0.0.1:${port}/webhook`;
  const post = (payload: unknown, postOptions: PostOptions = {}): Promise<Response> =>
    postDelivery(webhookUrl, typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : metaJson(payload), postOptions.headers ? postOptions : { secret: APP_SECRET, ...postOptions });
  return {
    app,
    channel,
    graph,
    config,
    webhookUrl,
    ackTimes,
    post,
    async deliver(payload) {
      const res = await post(payload);
      await channel.idle();
      return res;
    },
    async close() {
      await channel.stop();
      await http.close();
      await app.close();
      if (!options.graph) await graph.close();
    },
  };
}

export interface CapturedLogs {
  logger: Logger;
  /** Every log line so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The raw text of every line, to check nothing secret or unmasked was written. */
  text(): string;
}

/** The project's real logger (redaction and phone masking included), writing into memory. */
export function captureLogs(level = 'info'): CapturedLogs {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (s: string) => void raw.push(s) });
  return { logger, lines: () => raw.map((s) => JSON.parse(s) as Record<string, unknown>), text: () => raw.join('') };
}
