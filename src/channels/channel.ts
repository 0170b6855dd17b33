import type { Express } from 'express';
import type { RawHandler } from './httpServer.ts';

export type RawRoute = (method: string, path: string, handler: RawHandler) => void;
import type { Logger } from 'pino';
import type { Env } from '../config/env.ts';
import type { IspConfig } from '../config/schema.ts';
import type { Gateway } from '../gateway.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import type { TurnPipeline } from '../queue/turnPipeline.ts';

/** What a server channel (Telegram, WhatsApp) gets when it starts. */
export interface ChannelStartContext {
  gateway: Gateway;
  /** The express app on MESSAGING_HOST:MESSAGING_PORT; mount webhook routes here before it listens. */
  http: Express;
  /** Serves a hot path (a webhook POST) on node:http ahead of express: the messaging server's `route`. */
  route: RawRoute;
  /** Shared state (Redis when configured): dedupe, windows, rate limits. */
  kv: KeyValueStore;
  /** A provider's delivery report for a message we sent (the outreach notification log listens). */
  onDeliveryStatus?: (update: DeliveryStatus) => Promise<void>;
  /** The channel can no longer receive (token revoked…): the process shuts down and exits non-zero. */
  onFatal?: (err: Error) => void;
  /** Prometheus metrics (sends, send errors, statuses); absent in most tests. */
  metrics?: Metrics;
  /**
   * Where accepted messages go before their turn (durable on Redis, shared by all channels); the
   * channel registers its handler and the owner starts and closes it. Absent: the channel runs an
   * in-process pipeline of its own.
   */
  pipeline?: TurnPipeline;
}

export interface DeliveryStatus {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** The provider's error, for `failed`. */
  error?: string;
}

/** What a channel factory receives: validated env and config, a logger. No app yet. */
export interface ChannelOptions {
  env: Env;
  config: IspConfig;
  logger: Logger;
}

/**
 * A channel adapter: translates its protocol to InboundMessage and Reply[] back, and nothing of
 * ISP rules. Created before the app (its notifier delivers staff alerts), started after it.
 */
export interface ServerChannel {
  readonly name: 'telegram' | 'whatsapp';
  /** Delivers staff alerts to the staff configured for this channel. */
  readonly notifier?: Notifier;
  start(ctx: ChannelStartContext): Promise<void>;
  /** True while the channel receives (for /readyz); absent = ready once started. */
  ready?(): boolean;
  /** Stops receiving; in-flight turns finish. */
  stop(): Promise<void>;
}
