/**
 * Billing reminders while the server runs: the reminder pass (runReminders) every
 * `outreach.reminders.everyMinutes`, first one shortly after start. Exactly once across instances:
 * every instance may run the pass, and each reminder is claimed (KV setIfAbsent) before it is sent;
 * on top of that a per-period KV key lets one instance a period do the pass, so several instances
 * do not all read the customers each time. A pass never overlaps the previous one; stop() waits
 * for the pass in flight.
 */
import type { OutreachDeps } from './deps.ts';
import { runReminders, type ReminderRun } from './reminders.ts';

export interface ReminderSchedulerOptions {
  deps: OutreachDeps;
  /** Default: `outreach.reminders.everyMinutes` (0 = do not start). */
  everyMs?: number;
  /** Delay of the first pass (default: 10 s, or `everyMs` when shorter). */
  firstDelayMs?: number;
  /** After each pass (tests, logs). */
  onPass?: (run: ReminderRun | undefined, error?: Error) => void;
}

const periodKey = (period: number) => `outreach:reminders:pass:${period}`;

/** Starts the periodic reminder pass; returns stop(), which resolves once a pass in flight has finished. */
export function startReminderScheduler(o: ReminderSchedulerOptions): () => Promise<void> {
  const { deps } = o;
  const everyMs = o.everyMs ?? deps.config.outreach.reminders.everyMinutes * 60_000;
  const log = deps.logger?.child({ component: 'reminder-scheduler' });
  if (everyMs <= 0) {
    log?.info('automatic reminders off (outreach.reminders.everyMinutes = 0)');
    return async () => undefined;
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  async function pass(): Promise<void> {
    const period = Math.floor(deps.clock().getTime() / everyMs);
    // One instance per period does the pass; the claims inside keep each reminder exactly-once regardless.
    if (!(await deps.kv.setIfAbsent(periodKey(period), { at: deps.clock().toISOString() }, everyMs))) {
      o.onPass?.(undefined);
      return;
    }
    const run = await runReminders(deps);
    if (run.sent || run.failed) log?.info({ sent: run.sent, failed: run.failed, alreadySent: run.alreadySent, staffCalls: run.staffCalls.length }, 'reminder pass');
    o.onPass?.(run);
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = pass()
        .catch((err: Error) => {
          log?.error({ error: err.message }, 'reminder pass failed; next one as scheduled');
          o.onPass?.(undefined, err);
        })
        .finally(() => {
          inFlight = undefined;
          schedule(everyMs);
        });
    }, delay);
    timer.unref();
  }
  schedule(o.firstDelayMs ?? Math.min(10_000, everyMs));

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await inFlight;
  };
}
