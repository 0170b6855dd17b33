/**
 * When the flusher runs: `writeDelayMs` after a write (so writes due together share a batch), at
 * the retry time of what failed, soon again when another process holds the lease, and every
 * `sweepMs` anyway (entries left by a process that stopped). One flush at a time; timers never
 * keep the process alive.
 */
import type { Logger } from 'pino';
import type { FlushReport } from './flusher.ts';

export interface FlushScheduler {
  /** A write was recorded: flush after the write delay (or sooner if already due). */
  written(): void;
  /** Flush now, every pending entry included; resolves with that flush's report. */
  flushNow(): Promise<FlushReport>;
  /** Stops scheduling and waits for a flush in progress. */
  stop(): Promise<void>;
}

export interface FlushSchedulerOptions {
  flushDue(all: boolean): Promise<FlushReport>;
  writeDelayMs: number;
  sweepMs: number;
  clock: () => number;
  random: () => number;
  logger: Logger;
}

export function createFlushScheduler(o: FlushSchedulerOptions): FlushScheduler {
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let running: Promise<FlushReport> | undefined;
  let again = false;
  let stopped = false;

  function schedule(delayMs: number): void {
    if (stopped) return;
    const wait = Math.max(0, delayMs);
    if (timer && timerAt <= o.clock() + wait) return;
    clearTimeout(timer);
    timerAt = o.clock() + wait;
    timer = setTimeout(() => void run(false).catch(() => undefined), wait);
    timer.unref();
  }

  function run(all: boolean): Promise<FlushReport> {
    timer = undefined;
    timerAt = Infinity;
    if (running) {
      again = true;
      return running;
    }
    running = o
      .flushDue(all)
      .then((report) => {
        if (report.busy) schedule(1000 + o.random() * 1000);
        else if (report.nextAttemptAt !== undefined) schedule(report.nextAttemptAt - o.clock());
        else schedule(o.sweepMs);
        return report;
      })
      .catch((err: Error) => {
        o.logger.error({ error: err.message }, 'Sheets flush failed; retrying later');
        schedule(5000);
        throw err;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule(0);
        }
      });
    return running;
  }

  schedule(0);
  return {
    written: () => schedule(o.writeDelayMs),
    async flushNow() {
      await running?.catch(() => undefined);
      return run(true);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
