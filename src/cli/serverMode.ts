import { setFlagsFromString } from 'node:v8';
import { createWhatsAppChannel } from '../channels/whatsapp/index.ts';
import type { ServerChannel } from '../channels/channel.ts';
import { createHttpServer } from '../channels/httpServer.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createReadiness } from '../metrics/readiness.ts';
import { DEFAULT_RATE_LIMIT } from '../userRateLimit.ts';
import { bootApp, CliError, type Runtime } from './boot.ts';
import type { App } from '../app.ts';
import { openNotificationLog } from '../outreach/openNotificationLog.ts';
import { createOutreachSender } from '../outreach/channels/channelSender.ts';
import { registerOutreachMetrics } from '../outreach/outreachMetrics.ts';
import { startReminderScheduler } from '../outreach/reminderScheduler.ts';
import { finishesWithin } from '../core/deadline.ts';
import { createInProcessPipeline } from '../queue/inProcessPipeline.ts';
import { observeInboundQueue } from '../queue/queueMetrics.ts';
import type { TurnPipeline } from '../queue/turnPipeline.ts';

export type ServerChannelName = 'telegram' | 'whatsapp';

/**
 * Bounds how far the JS heap grows above its live data before a full collection (HEAP_GROWTH_PERCENT).
 * V8 reads this flag at every collection, so setting it at start-up is enough; 0 leaves V8's policy,
 * and so does an operator's own `--heap-growing-percent` (node's command line or NODE_OPTIONS).
 */
export function limitHeapGrowth(percent: number, nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? '']): boolean {
  if (percent === 0 || nodeOptions.some((o) => /--heap[-_]growing[-_]percent/.test(o))) return false;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}

/**
 * Runs the configured server channels on one app and one messaging port until SIGINT/SIGTERM,
 * then stops receiving, lets in-flight turns finish and closes the stores.
 */
export async function runServer(runtime: Runtime, names: readonly ServerChannelName[]): Promise<void> {
  limitHeapGrowth(runtime.env.HEAP_GROWTH_PERCENT);
  const options = { env: runtime.env, config: runtime.config, logger: runtime.logger };
  // Telegram's client (and BullMQ below) are loaded only when used: a WhatsApp-only or Redis-less server does not carry them.
  const channels: ServerChannel[] = await Promise.all(
    names.map(async (name) => (name === 'telegram' ? (await import('../channels/telegram/index.ts')).createTelegramChannel(options) : createWhatsAppChannel(options))),
  );
  const metrics = createMetrics();
  const app = await bootApp(runtime, { alertChannels: channels.flatMap((c) => (c.notifier ? [c.notifier] : [])), metrics, rateLimit: DEFAULT_RATE_LIMIT });
  // Outreach messages' delivery reports (WhatsApp statuses) update their notification log entries.
  const notificationLog = await openNotificationLog(app.deps.kv, runtime.env.DATA_DIR, app.deps.clock, { env: runtime.env, config: runtime.config, logger: runtime.logger });
  registerOutreachMetrics(metrics.registry, notificationLog);
  const pipeline = await openPipeline(runtime, app);
  observeInboundQueue(metrics.registry, pipeline);
  let draining = false;
  const started = new Set<string>();
  const readiness = createReadiness([
    { name: 'state', check: async () => (await app.deps.kv.get('readyz:probe'), true) },
    { name: 'store', check: async () => (await app.deps.store.getCustomer('readyz-probe'), true) },
    ...channels.map((c) => ({ name: c.name, check: async () => !draining && started.has(c.name) && (c.ready?.() ?? true) })),
  ]);
  const http = createHttpServer({ host: runtime.env.MESSAGING_HOST, port: runtime.env.MESSAGING_PORT, logger: runtime.logger, metrics, readiness });
  let failure: Error | undefined;
  let stopRunning: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRunning = resolve));
  const onFatal = (err: Error): void => {
    failure ??= err;
    stopRunning();
  };
  // From here on SIGINT/SIGTERM mean a clean stop, also while the rest is still starting (a channel
  // may already be answering): the start finishes, then everything drains and closes.
  const onSignal = (signal: string): void => {
    runtime.logger.info({ signal }, 'shutting down');
    stopRunning();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let outreach: Awaited<ReturnType<typeof createOutreachSender>> = undefined;
  let stopReminders: () => Promise<void> = async () => undefined;
  try {
    for (const channel of channels) {
      await channel.start({
        gateway: app.gateway,
        http: http.app,
        route: http.route,
        kv: app.deps.kv,
        onFatal,
        metrics,
        onDeliveryStatus: async (u) => void (await notificationLog.updateStatus(u.providerMessageId, u.status, u.error)),
        pipeline,
      });
      started.add(channel.name);
    }
    await pipeline.start();
    await http.listen();
    // Billing reminders while the server runs (exactly once across instances), over the real channels.
    outreach = await createOutreachSender({ env: runtime.env, config: runtime.config, kv: app.deps.kv, logger: runtime.logger });
    if (outreach) stopReminders = startReminderScheduler({ deps: { ...app.deps, sender: outreach.sender, log: notificationLog, logger: runtime.logger } });
  } catch (err) {
    // A start that failed (the port taken, a channel refused) closes what it opened, so the process exits.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pipeline.close().catch(() => undefined);
    await Promise.allSettled(channels.map((c) => c.stop()));
    await outreach?.close();
    await http.close();
    await notificationLog.close();
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${runtime.env.MESSAGING_HOST}:${runtime.env.MESSAGING_PORT}`;
    if (code === 'EADDRINUSE') throw new CliError(`${where} is already in use (another launcher?): stop that process or set MESSAGING_PORT to a free port.`, 1);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on ${where}: use a MESSAGING_PORT above 1023 or run with the needed permission.`, 1);
    throw err;
  }
  runtime.logger.info({ channels: names }, 'isp-gateway running');
  await stopped;
  draining = true;
  // New deliveries are refused (5xx, the provider retries); running turns finish; queued ones stay in Redis.
  const closing = pipeline.close();
  if (!(await finishesWithin(closing, 20_000))) {
    runtime.logger.warn('turns still running after 20 s at shutdown; with Redis they are handed to another instance');
  }
  await stopReminders();
  await Promise.allSettled(channels.map((c) => c.stop()));
  await outreach?.close();
  await http.close();
  await notificationLog.close();
  await app.close();
  if (failure) throw new CliError(failure.message, 1);
}

/** The durable Redis queue when REDIS_URL is set (several instances), else the in-process one. */
async function openPipeline(runtime: Runtime, app: App): Promise<TurnPipeline> {
  const { env, logger } = runtime;
  const log = logger.child({ module: 'inbound-queue' });
  if (!env.REDIS_URL) return createInProcessPipeline({ gateway: app.gateway, log });
  const { createRedisPipeline } = await import('../queue/redisPipeline.ts');
  return createRedisPipeline({
    redisUrl: env.REDIS_URL,
    gateway: app.gateway,
    kv: app.deps.kv,
    log,
    errorReply: { text: app.deps.msg.t('common.error') },
    concurrency: env.INBOUND_QUEUE_CONCURRENCY,
    lockMs: env.INBOUND_QUEUE_LOCK_MS,
  });
}
