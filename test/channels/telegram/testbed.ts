import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { createApp, type App } from '../../../src/app.ts';
import type { ServerChannel } from '../../../src/channels/channel.ts';
import { createHttpServer, type HttpServer } from '../../../src/channels/httpServer.ts';
import { createTelegramChannel, type TelegramTuning } from '../../../src/channels/telegram/index.ts';
import { parseEnv } from '../../../src/config/env.ts';
import { loadMessages } from '../../../src/config/messages.ts';
import type { IspConfig } from '../../../src/config/schema.ts';
import type { Gateway, GatewayResult } from '../../../src/gateway.ts';
import type { InboundMessage, Reply } from '../../../src/core/types.ts';
import type { Metrics } from '../../../src/metrics/metrics.ts';
import type { TurnPipeline } from '../../../src/queue/turnPipeline.ts';
import type { Customer } from '../../../src/sheets/records.ts';
import { openLocalStore } from '../../../src/sheets/local/localStore.ts';
import type { KeyValueStore } from '../../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../../src/state/memoryKeyValue.ts';
import { TelegramEmulator, type BotMessage, type MediaKind, type TgUser } from '../../emulators/telegram/index.ts';
import { shippedConfig } from '../../support/harness.ts';

const messagesDir = fileURLToPath(new URL('../../../config/messages', import.meta.url));

/** One gateway call as the channel made it (observed, the real gateway answers). */
export interface ObservedTurn {
  msg: InboundMessage;
  result: GatewayResult;
}

export interface TestbedOptions {
  mode?: 'polling' | 'webhook';
  /** Path of TELEGRAM_WEBHOOK_URL in webhook mode (default /telegram/webhook). */
  webhookPath?: string;
  customers?: Customer[];
  tweak?: (config: IspConfig) => void;
  /** Defaults: no per-chat spacing (tests would wait a second per message); the rest as shipped. */
  tuning?: Partial<TelegramTuning>;
  /** Extra environment (e.g. TELEGRAM_WEBHOOK_SECRET). */
  env?: Record<string, string>;
  /** Runs before each gateway turn (e.g. to hold a turn to show the webhook acks first). */
  beforeTurn?: (msg: InboundMessage) => Promise<void>;
  /** The state store (default: in memory); closed with the testbed. */
  kv?: KeyValueStore;
  /** Reuse an emulator (restart tests). */
  emulator?: TelegramEmulator;
  logger?: Logger;
  /** Prometheus metrics handed to the channel at start (sends, send errors). */
  metrics?: Metrics;
  /**
   * The inbound pipeline handed to the channel (as serverMode does), built on the observed gateway;
   * started after the channel and closed before it. Default: none (the channel runs its own in-process one).
   */
  pipeline?: (deps: { gateway: Gateway; kv: KeyValueStore; logger: Logger; errorReply: Reply }) => TurnPipeline;
  /** Where turns are recorded (share one array between instances to see their order); default a fresh one. */
  turns?: ObservedTurn[];
}

export interface Testbed {
  emu: TelegramEmulator;
  app: App;
  channel: ServerChannel;
  http: HttpServer;
  /** http://127.0.0.1:<port> of the messaging server. */
  baseUrl: string;
  kv: KeyValueStore;
  turns: ObservedTurn[];
  /** The pipeline given to the channel, when `pipeline` was set. */
  pipeline: TurnPipeline | undefined;
  /** Closes that pipeline once (as serverMode does first at shutdown); `close()` reuses it. */
  closePipeline(): Promise<void>;
  user(u: TgUser): TgChat;
  /** Stops the channel and the app; the emulator too unless it was passed in. */
  close(): Promise<void>;
}

/** A user's side of the chat: each call sends one update and resolves with the bot's answer to it. */
export interface TgChat {
  say(text: string): Promise<BotMessage[]>;
  /** Taps the inline button with this title (latest message that has it). */
  press(title: string): Promise<BotMessage[]>;
  /** The own contact by default; another user's id, or null for a card of nobody on Telegram. */
  shareContact(phone: string, ownerId?: number | null): Promise<BotMessage[]>;
  sendLocation(latitude: number, longitude: number): Promise<BotMessage[]>;
  sendMedia(kind: MediaKind, caption?: string): Promise<BotMessage[]>;
  last(): BotMessage[];
  lastText(): string;
}

export const texts = (messages: readonly BotMessage[]): string => messages.map((m) => m.message.text ?? '').join('\n');
export const buttonTitles = (m: BotMessage | undefined): string[] => m?.message.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

/**
 * The real app (in-memory local store and state) with the real Telegram channel started against
 * the emulator, polling or webhook (the messaging server listens on a free port first so the
 * webhook URL is known). The gateway the channel gets records each turn and delegates.
 */
export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const emu = options.emulator ?? (await TelegramEmulator.start());
  const config = shippedConfig();
  options.tweak?.(config);
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const http = createHttpServer({ host: '127.0.0.1', port: 0, logger });
  const port = await http.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = parseEnv({
    DATA_DIR: '/nonexistent',
    MESSAGES_DIR: messagesDir,
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    ...(options.mode === 'webhook' ? { TELEGRAM_WEBHOOK_URL: `${baseUrl}${options.webhookPath ?? '/telegram/webhook'}` } : {}),
    ...options.env,
  });
  const messages = loadMessages(messagesDir);
  const channel = createTelegramChannel({ env, config, logger }, { tuning: { perChatPerSecond: 0, pollTimeoutSeconds: 5, ...options.tuning }, messages });
  const store = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases });
  if (options.customers?.length) await store.upsertCustomers(options.customers);
  const kv = options.kv ?? createMemoryKeyValue();
  const app = await createApp({ config, env, logger, messages, store, kv, alertChannels: channel.notifier ? [channel.notifier] : [] });
  const turns: ObservedTurn[] = options.turns ?? [];
  const observed: Gateway = {
    async handle(msg) {
      await options.beforeTurn?.(msg);
      const result = await app.gateway.handle(msg);
      turns.push({ msg, result });
      emu.state.changed();
      return result;
    },
    async runClaimed(msg, claimed) {
      await options.beforeTurn?.(msg);
      const outcome = await app.gateway.runClaimed(msg, claimed);
      turns.push({ msg, result: { ...outcome, duplicate: false } });
      emu.state.changed();
      return outcome;
    },
  };
  const pipeline = options.pipeline?.({ gateway: observed, kv, logger, errorReply: { text: messages.t('common.error') } });
  await channel.start({ gateway: observed, http: http.app, route: http.route, kv, ...(options.metrics ? { metrics: options.metrics } : {}), ...(pipeline ? { pipeline } : {}) });
  await pipeline?.start();
  let pipelineClosed: Promise<void> | undefined;
  const closePipeline = (): Promise<void> => (pipelineClosed ??= pipeline?.close() ?? Promise.resolve());

  function user(u: TgUser): TgChat {
    emu.openChat(u);
    let last: BotMessage[] = [];
    async function turn(send: () => void): Promise<BotMessage[]> {
      const turnsBefore = turns.filter((t) => t.msg.chatId === String(u.id)).length;
      const sentBefore = emu.botMessagesIn(u.id).length;
      send();
      const done = await emu.waitFor(() => turns.filter((t) => t.msg.chatId === String(u.id))[turnsBefore], `turn ${turnsBefore + 1} of chat ${u.id}`);
      const expected = done.result.duplicate ? 0 : done.result.replies.length;
      last = await emu.waitFor(() => {
        const fresh = emu.botMessagesIn(u.id).slice(sentBefore);
        return fresh.length >= expected ? fresh : undefined;
      }, `${expected} bot message(s) in chat ${u.id}`);
      return last;
    }
    return {
      say: (text) => turn(() => emu.sendText(u, text)),
      press: (title) => turn(() => emu.pressButtonTitled(u, title)),
      shareContact: (phone, ownerId) => turn(() => emu.shareContact(u, phone, ownerId)),
      sendLocation: (lat, lng) => turn(() => emu.sendLocation(u, lat, lng)),
      sendMedia: (kind, caption) => turn(() => emu.sendMedia(u, kind, caption)),
      last: () => last,
      lastText: () => texts(last),
    };
  }

  return {
    emu,
    app,
    channel,
    http,
    baseUrl,
    kv,
    turns,
    pipeline,
    closePipeline,
    user,
    async close() {
      // As serverMode: the shared pipeline closes first (running turns finish), then the channel.
      await closePipeline();
      await channel.stop();
      await http.close();
      await app.close();
      if (!options.emulator) await emu.close();
    },
  };
}
