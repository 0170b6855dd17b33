/**
 * What the Google Sheets store reports for monitoring, as a small port: the store calls it and
 * knows nothing of Prometheus; src/metrics/metrics.ts implements it. Optional everywhere.
 */
import type { OutboxStats } from './outbox.ts';

/** read: spreadsheets.get, values.batchGet; append: values.append; write: the other writes. */
export type SheetsRequestKind = 'read' | 'write' | 'append';

/** ok: answered; retry: failed and tried again; error: failed for good (the write stays in the outbox). */
export type SheetsRequestOutcome = 'ok' | 'retry' | 'error';

export interface SheetsMetricsSink {
  /**
   * One request attempt ended. `status` is Google's HTTP status for a failure (429 = over quota),
   * undefined when no answer came (network, timeout) or on success.
   */
  request(kind: SheetsRequestKind, outcome: SheetsRequestOutcome, status?: number): void;
  /** The write outbox (pending writes, oldest one), read at every scrape. */
  observeOutbox(stats: () => Promise<OutboxStats>): void;
}
