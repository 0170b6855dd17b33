import { GrammyError, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { describeApiError } from './apiErrors.ts';

/** A running poller, as leasedPolling.ts drives it. */
export interface PollingHandle {
  /** The polling loop: resolves after stop(); rejects when Telegram refuses for good (401 revoked token, 409 another poller or a webhook). */
  task(): Promise<void>;
  /**
   * Stops fetching and lets the updates in hand be taken in. With `confirm` (the default; only
   * while this instance holds the polling lease) Telegram is told which ones were, so the next
   * poller does not get them again.
   */
  stop(options?: { confirm?: boolean }): Promise<void>;
}

type UpdateKind = Exclude<keyof Update, 'update_id'>;

export interface UpdatePollerOptions {
  api: Api;
  /** Takes one update in; resolves once it is queued. */
  handle: (update: Update) => Promise<void>;
  /** A failure that passes (the pipeline or the state store away): retried as long as the poller runs. */
  isTransient: (err: unknown) => boolean;
  timeoutSeconds: number;
  allowedUpdates: readonly UpdateKind[];
  logger: Logger;
  token: string;
  /** First wait after a failure, doubling up to `maxMs`. Defaults: 500 ms, 30 s. */
  retry?: { firstMs: number; maxMs: number };
  /** Attempts for an update that fails for another reason (a bug) before it is logged and skipped; default 3. */
  maxAttempts?: number;
}

/** The order key of an update: its chat (as the bot's sequentialize middleware keys it), else its sender. */
export function orderKeyOf(update: Update): string {
  const payload = Object.entries(update).find(([key]) => key !== 'update_id')?.[1] as
    | { chat?: { id: number }; message?: { chat?: { id: number } }; from?: { id: number } }
    | undefined;
  const chat = payload?.chat ?? payload?.message?.chat;
  if (chat) return String(chat.id);
  return payload?.from ? `user:${payload.from.id}` : `update:${update.update_id}`;
}

/**
 * Long polling that confirms an update to Telegram only once it was taken in (queued in the
 * inbound pipeline). Telegram forgets updates below the `offset` of the next getUpdates, so the
 * offset only moves past a batch after every update of it was handed over: the updates of one
 * chat in order, different chats at once. An update that cannot be queued (Redis down, the
 * pipeline closed at shutdown) is retried with a doubling wait and the poller fetches nothing new
 * meanwhile; if it stops first, the update stays with Telegram for the next poller. Only an update
 * that fails for another reason (a bug in translating it) is skipped after `maxAttempts`.
 *
 * (@grammyjs/runner, used before, moves the offset when it fetches the next batch, whether or not
 * the previous one was handled: a crash or a Redis outage there lost updates.)
 */
export function startUpdatePoller(options: UpdatePollerOptions): PollingHandle {
  const { api, logger, token } = options;
  const retry = options.retry ?? { firstMs: 500, maxMs: 30_000 };
  const maxAttempts = options.maxAttempts ?? 3;
  /** Every update below it was taken in. */
  let offset = 0;
  /** The offset Telegram was last sent (what it has forgotten). */
  let sentOffset = 0;
  let running = true;
  let controller: AbortController | undefined;
  let signalStop: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (signalStop = resolve));

  const backoff = (failures: number): number => Math.min(retry.maxMs, retry.firstMs * 2 ** Math.min(failures, 20));
  /** Resolves after `ms`, or at once when the poller stops. */
  function pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), stopping]).finally(() => clearTimeout(timer));
  }

  async function fetchBatch(): Promise<Update[] | undefined> {
    for (let failures = 0; running; failures++) {
      controller = new AbortController();
      try {
        sentOffset = offset;
        // grammY types its signal with the abort-controller polyfill's type; Node's own is what it uses.
        const signal = controller.signal as unknown as Parameters<Api['getUpdates']>[1];
        return await api.getUpdates({ offset, limit: 100, timeout: options.timeoutSeconds, allowed_updates: [...options.allowedUpdates] }, signal);
      } catch (err) {
        if (!running) return undefined;
        if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 409)) throw err;
        const waitMs = backoff(failures);
        logger.warn({ error: describeApiError(err, token), waitMs }, 'telegram getUpdates failed; retrying');
        await pause(waitMs);
      } finally {
        controller = undefined;
      }
    }
    return undefined;
  }

  /** True once the update is taken in (or skipped for good); false when the poller stopped first. */
  async function takeIn(update: Update): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.handle(update);
        return true;
      } catch (err) {
        const error = describeApiError(err, token);
        const transient = options.isTransient(err);
        if (!transient && attempt >= maxAttempts) {
          logger.error({ updateId: update.update_id, attempts: attempt, error }, 'telegram update skipped: it failed repeatedly for a reason other than the pipeline or the state store');
          return true;
        }
        if (!running) {
          logger.warn({ updateId: update.update_id }, 'telegram update not queued before stopping: left with Telegram (not confirmed) for the next poller');
          return false;
        }
        const waitMs = backoff(attempt - 1);
        logger.warn(
          { updateId: update.update_id, attempt, waitMs, error },
          transient ? 'telegram update not queued (pipeline or state store unavailable): not confirmed to Telegram, polling paused, retrying' : 'telegram update failed; retrying',
        );
        await pause(waitMs);
      }
    }
  }

  /** Takes a batch in, each chat's updates in order; moves the offset past what was taken in. */
  async function takeInBatch(updates: readonly Update[]): Promise<void> {
    const chains = new Map<string, Update[]>();
    for (const update of updates) {
      const key = orderKeyOf(update);
      const chain = chains.get(key);
      if (chain) chain.push(update);
      else chains.set(key, [update]);
    }
    const stuck = await Promise.all(
      [...chains.values()].map(async (chain) => {
        for (const update of chain) if (!(await takeIn(update))) return update.update_id;
        return undefined;
      }),
    );
    const firstStuck = Math.min(...stuck.filter((id): id is number => id !== undefined));
    // Updates of other chats after a stuck one come again to the next poller; the pipeline's dedupe answers them once.
    offset = Number.isFinite(firstStuck) ? firstStuck : Math.max(offset, ...updates.map((u) => u.update_id + 1));
  }

  async function loop(): Promise<void> {
    while (running) {
      const updates = await fetchBatch();
      if (updates?.length) await takeInBatch(updates);
    }
  }

  const task = loop();
  // leasedPolling attaches its own handler through task(); this one keeps an early rejection from going unhandled.
  task.catch(() => undefined);

  return {
    task: () => task,
    async stop({ confirm = true } = {}) {
      running = false;
      signalStop();
      controller?.abort();
      await task.catch(() => undefined);
      if (!confirm || offset <= sentOffset) return;
      sentOffset = offset;
      // Telegram forgets the updates below `offset` when it receives it; nothing else is fetched.
      await api.getUpdates({ offset, limit: 1, timeout: 0 }).catch((err: unknown) => logger.debug({ error: describeApiError(err, token) }, 'telegram: final getUpdates (confirming the last batch) failed; those updates come again and are deduplicated'));
    },
  };
}
