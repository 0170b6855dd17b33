import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp, type App } from '../../src/app.ts';
import { createHttpServer } from '../../src/channels/httpServer.ts';
import { createWhatsAppChannel, type WhatsAppChannel } from '../../src/channels/whatsapp/index.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadMessages } from '../../src/config/messages.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { createReadiness } from '../../src/metrics/readiness.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import type { UserRateLimitOptions } from '../../src/userRateLimit.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/whatsapp/graphEmulator.ts';
import { metaJson, postDelivery } from '../emulators/whatsapp/metaWebhook.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from '../channels/whatsapp/fixtures/metaPayloads.ts';
import { shippedConfig } from '../support/harness.ts';

export const APP_SECRET = 'scale-app-secret-0123456789abcdef';
const ACCESS_TOKEN = 'EAAscale-test-access-token';

/** Meta's wa_id for a Mexican mobile (521…) and the number replies go to (52…). */
export const waId = (n: number): string => `52155${String(n).padStart(8, '0')}`;
export const recipient = (id: string): string => id.replace(/^521/, '52');

export interface ScaleStack {
  app: App;
  channel: WhatsAppChannel;
  graph: GraphEmulator;
  metrics: Metrics;
  baseUrl: string;
  /** Signs and posts one text message from `from`; resolves with the HTTP status. */
  send(from: string, text: string, id?: string): Promise<number>;
  close(): Promise<void>;
}

/** The real app + messaging server (with /metrics and /readyz) + WhatsApp channel, against the Graph emulator. */
export async function startScaleStack(options: { kv?: KeyValueStore; rateLimit?: Omit<UserRateLimitOptions, 'redisUrl'>; env?: Record<string, string> } = {}): Promise<ScaleStack> {
  const config = shippedConfig();
  const graph = await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, throughputPerSecond: 100_000 });
  const env = parseEnv({
    DATA_DIR: '/nonexistent',
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_GRAPH_URL: graph.url,
    ...options.env,
  });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ processMetrics: false });
  const channel = createWhatsAppChannel({ env, config, logger }, { sendsPerSecond: 100_000, retry: { attempts: 3, baseMs: 5, maxMs: 20, slowBaseMs: 10 } });
  const kv = options.kv ?? createMemoryKeyValue();
  const app = await createApp({
    config,
    env,
    logger,
    messages: loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url))),
    store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }),
    kv,
    alertChannels: [channel.notifier],
    metrics,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const readiness = createReadiness([
    { name: 'state', check: async () => (await kv.get('readyz:probe'), true) },
    { name: 'whatsapp', check: async () => channel.ready?.() ?? true },
  ], 500);
  const http = createHttpServer({ host: '127.0.0.1', port: 0, logger, metrics, readiness });
  await channel.start({ gateway: app.gateway, http: http.app, route: http.route, kv, metrics });
  const port = await http.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    channel,
    graph,
    metrics,
    baseUrl,
    async send(from, text, id) {
      const body = metaJson(delivery(messagesValue([{ waId: from, name: 'Cliente' }], [msg.text(from, text, id ? { id } : {})])));
      return (await postDelivery(`${baseUrl}/webhook`, body, { secret: APP_SECRET })).status;
    },
    async close() {
      await channel.stop();
      await http.close();
      await app.close();
      await graph.close();
    },
  };
}

/** One sample's value from the Prometheus text, or undefined: `sample(text, 'isp_turns_total', {channel:'whatsapp'})`. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total = (total ?? 0) + Number(m[3]);
  }
  return total;
}
