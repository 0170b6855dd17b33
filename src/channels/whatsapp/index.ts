import { whatsappMissing } from '../../config/env.ts';
import { createKeyedQueue } from '../../core/keyedQueue.ts';
import type { Notifier, StaffAlert } from '../../notify/notifier.ts';
import type { ChannelOptions, ChannelStartContext, ServerChannel } from '../channel.ts';
import { createConversationWindows } from './conversationWindow.ts';
import { countDeliveries, createDeliver, DEFAULT_RETRY, type RetryPolicy } from './deliver.ts';
import { createGraphClient } from './graphClient.ts';
import { createInbox, type InboxMetrics } from './inbox.ts';
import { createReplySender } from './replySender.ts';
import { createInProcessPipeline } from '../../queue/inProcessPipeline.ts';
import type { TurnPipeline } from '../../queue/turnPipeline.ts';
import { createSendLimiter, type SendLimiter } from './sendLimiter.ts';
import { createStaffAlerts } from './staffAlerts.ts';
import { createStatusTracker, sentTagKey, type StatusMetrics } from './statusTracker.ts';
import { createTaskTracker } from '../../core/taskTracker.ts';
import { finishesWithin, withDeadline } from '../../core/deadline.ts';
import { createWebhookPost, createWebhookRouter, type WebhookHandlers } from './webhookRouter.ts';

/** Knobs with production defaults; tests shorten the delays. */
export interface WhatsAppTuning {
  /** Outbound messages per second per phone number, shared by every instance on the same Redis. */
  sendsPerSecond: number;
  retry: RetryPolicy;
  /** Redis key prefix of the shared send limiter. */
  limiterKeyPrefix: string;
  /** How long the webhook waits for the state store before answering 503. */
  stateTimeoutMs: number;
  /** How long `stop()` waits for replies still being sent. */
  drainTimeoutMs: number;
  /** On a retry after a crash, how long to wait for the status webhook that shows a reply already went out. */
  inDoubtWaitMs: number;
  now: () => number;
}

export interface WhatsAppMetrics extends InboxMetrics, StatusMetrics {}

export interface WhatsAppChannel extends ServerChannel {
  readonly notifier: Notifier;
  readonly metrics: WhatsAppMetrics;
  /** Resolves when every accepted delivery was processed and its replies and alerts sent. */
  idle(): Promise<void>;
}

const DEFAULTS: WhatsAppTuning = {
  sendsPerSecond: 80,
  retry: DEFAULT_RETRY,
  limiterKeyPrefix: 'isp:wa-send',
  stateTimeoutMs: 2_000,
  drainTimeoutMs: 15_000,
  inDoubtWaitMs: 15_000,
  now: () => Date.now(),
};

/**
 * The WhatsApp Cloud API channel: webhook at /webhook on the shared messaging server, replies and
 * staff alerts through the Graph API. It translates the protocol and knows nothing of ISP rules.
 */
export function createWhatsAppChannel(options: ChannelOptions, tuning: Partial<WhatsAppTuning> = {}): WhatsAppChannel {
  const { env, config } = options;
  const t: WhatsAppTuning = { ...DEFAULTS, sendsPerSecond: env.WHATSAPP_SENDS_PER_SECOND, ...tuning };
  const missing = whatsappMissing(env);
  if (missing.length > 0) throw new Error(`The WhatsApp channel needs ${missing.join(', ')} (see .env.example).`);
  const phoneNumberId = env.WHATSAPP_PHONE_NUMBER_ID!;
  const log = options.logger.child({ channel: 'whatsapp' });
  const tasks = createTaskTracker();
  const metrics: WhatsAppMetrics = { deliveries: 0, malformed: 0, skippedItems: 0, turns: 0, duplicates: 0, rejectedSignatures: 0, statuses: {}, failedByCode: {} };
  let limiter: SendLimiter | undefined;
  let client: ReturnType<typeof createGraphClient> | undefined;
  let pipelineRef: TurnPipeline | undefined;
  // The pipeline this channel created itself (none given): it closes it on stop.
  let ownPipeline: TurnPipeline | undefined;
  let staff: ReturnType<typeof createStaffAlerts> | undefined;
  let accepting = false;

  const notifier: Notifier = {
    async notifyStaff(alert: StaffAlert) {
      if (staff) return staff.notifyStaff(alert);
      if (config.staff.whatsappNumbers.length) log.warn({ alert: alert.kind }, 'staff alert raised before the WhatsApp channel started; not sent on WhatsApp');
    },
  };

  return {
    name: 'whatsapp',
    notifier,
    metrics,
    idle: async () => {
      await tasks.idle();
      await pipelineRef?.idle();
      await tasks.idle();
    },
    ready: () => accepting,

    async start({ gateway, http, route, kv, metrics: prom, onDeliveryStatus, pipeline: shared }: ChannelStartContext) {
      limiter = createSendLimiter({ perSecond: t.sendsPerSecond, keyPrefix: t.limiterKeyPrefix, ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) });
      client = createGraphClient({ baseUrl: env.WHATSAPP_GRAPH_URL, version: env.WHATSAPP_GRAPH_VERSION, phoneNumberId, accessToken: env.WHATSAPP_ACCESS_TOKEN! });
      const deliver = countDeliveries(createDeliver({ client, limiter, limiterKey: phoneNumberId, retry: t.retry }), prom);
      const windows = createConversationWindows(kv, t.now);
      const outbound = createKeyedQueue();
      staff = createStaffAlerts({ config, kv, windows, deliver, log, enqueue: (to, task) => tasks.track(outbound.run(`staff:${to}`, task)) });
      const statuses = createStatusTracker({
        kv,
        log,
        now: t.now,
        onAlertWindowClosed: (to, alert) => staff!.sendTemplate(to, alert),
        onDeliveryStatus,
      });
      metrics.statuses = statuses.metrics.statuses;
      metrics.failedByCode = statuses.metrics.failedByCode;
      prom?.observeWhatsAppStatuses(() => statuses.metrics.statuses);
      const sendReplies = createReplySender({ config, windows, deliver, wasAccepted: async (tag) => (await kv.get(sentTagKey(tag))) !== undefined, inDoubtWaitMs: t.inDoubtWaitMs });
      const pipeline = shared ?? (ownPipeline = createInProcessPipeline({ gateway, log }));
      pipelineRef = pipeline;
      pipeline.register('whatsapp', {
        prepare: (msg) => windows.touch(msg.userId, msg.receivedAt),
        send: (msg, reply, turnLog, attempt) => sendReplies(msg.chatId, [reply], turnLog, attempt),
        afterTurn: (_msg, duplicate) => void (duplicate ? metrics.duplicates++ : metrics.turns++),
      });
      if (ownPipeline) await ownPipeline.start();
      const inbox = createInbox({ phoneNumberId, windows, pipeline, recordStatus: statuses.record, rememberAccepted: statuses.rememberAccepted, track: tasks.track, log, metrics });
      // Local state (memory, the SQLite file) cannot be unreachable. With the Redis queue the
      // delivery itself is the probe: it must be recorded within the deadline or it is answered 503
      // (a late success is deduped when Meta delivers again). Otherwise (the in-process queue with
      // state on Redis) the store gets a read with a deadline first.
      const stateReady = async (): Promise<boolean> =>
        kv.kind === 'memory' ||
        kv.kind === 'sqlite' ||
        pipeline.kind === 'redis' ||
        withDeadline(kv.get('wa:health').then(() => true), t.stateTimeoutMs, 'state probe').catch(() => false);
      const handlers: WebhookHandlers = {
        verifyToken: env.WHATSAPP_VERIFY_TOKEN!,
        appSecret: env.WHATSAPP_APP_SECRET!,
        log,
        accepting: () => accepting,
        stateReady,
        onDelivery: pipeline.kind === 'redis' ? (raw) => withDeadline(inbox(raw), t.stateTimeoutMs, `the state store did not answer within ${t.stateTimeoutMs} ms`) : inbox,
        onRejected: () => void metrics.rejectedSignatures++,
      };
      // Deliveries on node:http directly (the hot path); the handshake on express.
      route('POST', '/webhook', createWebhookPost(handlers));
      http.use('/webhook', createWebhookRouter(handlers));
      accepting = true;
      log.info({ phoneNumberId, limiter: limiter.kind, graph: env.WHATSAPP_GRAPH_URL, version: env.WHATSAPP_GRAPH_VERSION }, 'WhatsApp webhook mounted at /webhook');
    },

    async stop() {
      accepting = false;
      const drain = async (): Promise<boolean> => {
        await ownPipeline?.close();
        await tasks.idle();
        return true;
      };
      const drained = await finishesWithin(drain(), t.drainTimeoutMs);
      if (!drained) log.warn({ pending: tasks.pending }, 'WhatsApp replies still being sent at shutdown');
      await limiter?.close();
      await client?.close();
    },
  };
}
