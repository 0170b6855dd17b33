import type { Logger } from 'pino';
import type { LeaseTiming, PollerLease } from './pollerLease.ts';
import type { PollingHandle } from './updatePoller.ts';

export interface LeasedPollingOptions {
  lease: PollerLease;
  timing: LeaseTiming;
  logger: Logger;
  /** Starts long polling; called only while this instance holds the lease. */
  startPoller: () => Promise<PollingHandle>;
  /** The poller died on its own (401, 409…): the lease is released first. */
  onPollerFailed: (err: unknown) => void;
  /** Taking over in the background failed (e.g. getWebhookInfo rejected). */
  onTakeoverFailed: (err: unknown) => void;
}

export interface LeasedPolling {
  /** Polls now if the lease is free (errors propagate), else stands by in the background. */
  start(): Promise<void>;
  /** Stops polling (or standing by), then releases the lease. */
  stop(): Promise<void>;
  /** True while this instance holds the lease and polls. */
  polling(): boolean;
}

/**
 * Long polling guarded by a lease: only the holder calls getUpdates; it renews every renewMs and
 * stops at once when a renewal finds another token. A standby retries every retryMs and takes over
 * when the lease is released (clean stop) or expires (the holder died).
 */
export function createLeasedPolling(options: LeasedPollingOptions): LeasedPolling {
  const { lease, timing, logger } = options;
  let poller: PollingHandle | undefined;
  let stopped = false;
  let renewTimer: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  let standingBy: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function begin(): Promise<void> {
    const handle = await options.startPoller();
    poller = handle;
    handle.task().catch(async (err: unknown) => {
      if (stopped || poller !== handle) return;
      poller = undefined;
      clearTimeout(renewTimer);
      await lease.release();
      options.onPollerFailed(err);
    });
    scheduleRenewal();
  }

  function scheduleRenewal(): void {
    renewTimer = setTimeout(() => {
      renewing = renewOnce().finally(() => (renewing = undefined));
    }, timing.renewMs);
  }

  async function renewOnce(): Promise<void> {
    const outcome = await lease.renew();
    if (stopped || !poller) return;
    if (outcome !== 'lost') return scheduleRenewal();
    logger.warn('telegram: lost the polling lease to another instance; stopped polling');
    const handle = poller;
    poller = undefined;
    // No confirming getUpdates: the new holder is polling, and a second getUpdates would end its poll with 409.
    await handle.stop({ confirm: false });
    if (!stopped) standingBy = standBy();
  }

  async function standBy(): Promise<void> {
    let announced = false;
    while (!stopped) {
      let acquired = false;
      try {
        acquired = await lease.tryAcquire();
      } catch (err) {
        logger.warn({ err: String(err) }, 'telegram: could not reach the state store for the polling lease; retrying');
      }
      if (stopped) return; // stop() releases it
      if (acquired) {
        logger.info('telegram: took the polling lease; polling');
        try {
          await begin();
        } catch (err) {
          await lease.release();
          options.onTakeoverFailed(err);
        }
        return;
      }
      if (!announced) {
        announced = true;
        logger.info({ holder: await lease.holder().catch(() => undefined) }, 'another instance is polling; standing by');
      }
      await sleep(timing.retryMs);
    }
  }

  return {
    async start() {
      if (await lease.tryAcquire()) {
        try {
          await begin();
        } catch (err) {
          await lease.release();
          throw err;
        }
        return;
      }
      standingBy = standBy();
    },
    async stop() {
      stopped = true;
      clearTimeout(renewTimer);
      wake?.();
      await standingBy;
      await renewing;
      const handle = poller;
      poller = undefined;
      await handle?.stop();
      await lease.release();
    },
    polling: () => poller !== undefined,
  };
}
