import { sequentialize } from '@grammyjs/runner';
import { BotError, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import { loadMessages, type Messages } from '../../config/messages.ts';
import { createInProcessPipeline } from '../../queue/inProcessPipeline.ts';
import type { TurnPipeline } from '../../queue/turnPipeline.ts';
import type { ChannelOptions, ChannelStartContext, ServerChannel } from '../channel.ts';
import { describeApiError } from './apiErrors.ts';
import { registerCommands } from './commands.ts';
import { createBot, DEFAULT_TUNING, type TelegramTuning } from './createBot.ts';
import { createLeasedPolling, type LeasedPolling } from './leasedPolling.ts';
import { createOutboundLimiter } from './outboundLimiter.ts';
import { PollerLease } from './pollerLease.ts';
import { createReplyHandler } from './replySender.ts';
import { createStaffNotifier } from './staffNotifier.ts';
import { createUpdateHandler, IntakeUnavailableError } from './updateHandler.ts';
import { startUpdatePoller, type PollingHandle } from './updatePoller.ts';
import { mountWebhook, webhookSettings, type WebhookSettings } from './webhook.ts';

export type { TelegramTuning } from './createBot.ts';

/** The updates the bot asks for (everything it handles, nothing else). */
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface TelegramChannelExtras {
  /** Client limits; Telegram's published limits by default. */
  tuning?: Partial<TelegramTuning>;
  /** Defaults to the catalogue in env.MESSAGES_DIR. */
  messages?: Messages;
}

/**
 * The Telegram channel on grammY: long polling (updatePoller.ts) by at most one instance per bot
 * (a lease in the shared KV; the others stand by and take over), or a webhook route when
 * TELEGRAM_WEBHOOK_URL is set (any number of instances). Updates are translated to InboundMessage
 * and submitted to the inbound pipeline (ctx.pipeline, durable on Redis; else an in-process one of
 * its own); an update is acknowledged (webhook 200, polling offset) only once it is queued. The
 * pipeline runs the turns and hands each reply back to be sent with keyboards (replySender.ts).
 * It also delivers staff alerts.
 */
export function createTelegramChannel(options: ChannelOptions, extras: TelegramChannelExtras = {}): ServerChannel {
  const { env, config } = options;
  if (!env.TELEGRAM_BOT_TOKEN) throw new Error('The telegram channel needs TELEGRAM_BOT_TOKEN (from @BotFather).');
  const token: string = env.TELEGRAM_BOT_TOKEN;
  const logger = options.logger.child({ channel: 'telegram' });
  const tuning: TelegramTuning = { ...DEFAULT_TUNING, ...extras.tuning };
  const messages = extras.messages ?? loadMessages(env.MESSAGES_DIR);
  const webhook: WebhookSettings | undefined = env.TELEGRAM_WEBHOOK_URL ? webhookSettings(env.TELEGRAM_WEBHOOK_URL, env.TELEGRAM_WEBHOOK_SECRET, token) : undefined;
  // Replies and staff alerts share one set of send budgets with every instance on the same Redis.
  const limiter = createOutboundLimiter({
    botId: token.split(':')[0] ?? 'bot',
    globalPerSecond: tuning.globalPerSecond,
    perChatPerSecond: tuning.perChatPerSecond,
    perGroupPerMinute: tuning.perGroupPerMinute,
    keyPrefix: tuning.limiterKeyPrefix,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  });
  let metrics: ChannelStartContext['metrics'];
  const bot = createBot(token, env.TELEGRAM_API_ROOT, tuning, logger, limiter, (code) => {
    if (code === undefined) metrics?.sends.inc({ channel: 'telegram' });
    else metrics?.sendErrors.inc({ channel: 'telegram', code });
  });
  const notifier = createStaffNotifier({ api: bot.api, config, logger, token });
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  let polling: LeasedPolling | undefined;
  // The pipeline this channel created itself (none given): it closes it on stop.
  let ownPipeline: TurnPipeline | undefined;
  let started = false;
  let stopped = false;

  function install(ctx: ChannelStartContext, pipeline: TurnPipeline): void {
    pipeline.register('telegram', createReplyHandler({ api: bot.api, kv: ctx.kv, shareContactTitle: messages.t('common.shareContactButton'), token, retryOnNetworkError: pipeline.kind === 'redis' }));
    // Every update is tracked (stop waits for it), then ordered per chat, then taken in.
    bot.use((_ctx, next) => track(next()));
    bot.use(sequentialize((c: Context) => (c.chat ? String(c.chat.id) : c.from ? `user:${c.from.id}` : undefined)));
    bot.use(
      createUpdateHandler({
        kv: ctx.kv,
        logger,
        texts: { editedMessage: messages.t('common.editedMessage') },
        staffGroupId: config.staff.telegramGroupId ?? undefined,
        token,
        clock: () => Date.now(),
        submit: (msgs) => pipeline.submit(msgs),
        background: (work) => void track(work).catch(() => undefined),
      }),
    );
  }

  function logUpdateError(err: unknown): void {
    const cause = err instanceof BotError ? err.error : err;
    const updateId = err instanceof BotError ? err.ctx.update.update_id : undefined;
    if (cause instanceof IntakeUnavailableError) logger.warn({ updateId, error: describeApiError(cause, token) }, 'telegram update not queued');
    else logger.error({ updateId, error: describeApiError(cause, token) }, 'telegram update failed');
  }

  /** Takes one update in; resolves once it is queued, rejects when it could not be (the poller logs and retries). */
  const takeIn = (update: Update): Promise<void> => track(bot.handleUpdate(update));

  async function init(): Promise<void> {
    try {
      await bot.init();
    } catch (err) {
      throw new Error(`Telegram did not accept the bot (getMe: ${describeApiError(err, token)}). Check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT.`);
    }
  }

  async function startWebhook(settings: WebhookSettings, ctx: ChannelStartContext): Promise<void> {
    if (settings.derived) logger.info('TELEGRAM_WEBHOOK_SECRET not set: using a secret derived from the bot token (same on every restart and instance)');
    if (!settings.url.startsWith('https://')) logger.warn('TELEGRAM_WEBHOOK_URL is not https: the real Telegram only delivers to HTTPS URLs');
    mountWebhook(ctx.http, {
      settings,
      kv: ctx.kv,
      logger,
      stopped: () => stopped,
      process: (update) =>
        takeIn(update).catch((err: unknown) => {
          logUpdateError(err);
          throw err;
        }),
    });
    await bot.api.setWebhook(settings.url, { secret_token: settings.secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ path: settings.path }, 'telegram webhook set');
  }

  /** Called only while holding the polling lease: nothing calls getUpdates before. */
  async function startPoller(): Promise<PollingHandle> {
    const info = await bot.api.getWebhookInfo();
    if (info.url) {
      logger.info('telegram: a webhook was set; deleting it to switch to long polling');
      await bot.api.deleteWebhook({ drop_pending_updates: false });
    }
    return startUpdatePoller({
      api: bot.api,
      handle: takeIn,
      isTransient: (err) => (err instanceof BotError ? err.error : err) instanceof IntakeUnavailableError,
      timeoutSeconds: tuning.pollTimeoutSeconds,
      allowedUpdates: ALLOWED_UPDATES,
      logger,
      token,
      retry: { firstMs: tuning.intakeRetryFirstMs, maxMs: tuning.intakeRetryMaxMs },
    });
  }

  async function startPolling(ctx: ChannelStartContext): Promise<void> {
    const lease = new PollerLease({
      kv: ctx.kv,
      key: `telegram:poller:${bot.botInfo.id}`,
      logger,
      ttlMs: tuning.pollerLeaseTtlMs,
      renewMs: tuning.pollerLeaseRenewMs,
      retryMs: tuning.pollerLeaseRetryMs,
    });
    polling = createLeasedPolling({
      lease,
      timing: { ttlMs: tuning.pollerLeaseTtlMs, renewMs: tuning.pollerLeaseRenewMs, retryMs: tuning.pollerLeaseRetryMs },
      logger,
      startPoller,
      onPollerFailed(err) {
        const error = describeApiError(err, token);
        logger.fatal({ error }, 'telegram long polling stopped (401: token revoked; 409: a poller without the lease or a webhook is set)');
        if (!stopped) ctx.onFatal?.(new Error(`telegram long polling stopped: ${String(error)}`));
      },
      onTakeoverFailed(err) {
        const error = describeApiError(err, token);
        logger.fatal({ error }, 'telegram: could not start long polling after taking the lease');
        if (!stopped) ctx.onFatal?.(new Error(`telegram long polling could not start: ${String(error)}`));
      },
    });
    await polling.start();
  }

  return {
    name: 'telegram',
    notifier,
    async start(ctx) {
      if (started) throw new Error('the telegram channel is already started');
      started = true;
      metrics = ctx.metrics;
      const pipeline = ctx.pipeline ?? (ownPipeline = createInProcessPipeline({ gateway: ctx.gateway, log: logger }));
      install(ctx, pipeline);
      await ownPipeline?.start();
      await init();
      if (webhook) await startWebhook(webhook, ctx);
      else await startPolling(ctx);
      // In the background: a failure is logged and never stops the bot.
      void track(registerCommands(bot.api, messages, logger, token));
      const standby = polling !== undefined && !polling.polling();
      logger.info({ mode: webhook ? 'webhook' : standby ? 'polling (standby)' : 'polling', bot: bot.botInfo.username }, 'telegram channel started');
    },
    async stop() {
      stopped = true;
      await polling?.stop();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      // A shared pipeline is closed by its owner (before the channels stop); our own one lets its turns finish here.
      await ownPipeline?.close();
      await notifier.drain();
      await limiter.close();
    },
  };
}
