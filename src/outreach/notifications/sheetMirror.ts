/**
 * The notification log mirrored to the `Notificaciones` tab of the ISP's Google Sheet. The log
 * (SQLite or Redis) stays the durable record and remembers which entries the Sheet does not show
 * as they are; a flush sends them in at most three requests whatever their number — one read of
 * the tab (rows found by ID at write time, so staff may sort or insert rows), one
 * values.batchUpdate for status changes of rows already there, one values.append for new rows —
 * through the same quota limiter as the store (shared by every instance with Redis). Flushes run
 * `writeDelaySeconds` after a write (one batch for a burst), one at a time across instances (a KV
 * lock), and at close; a failed flush leaves the entries for the next one. An append whose answer
 * was lost is not repeated: the next flush finds its ID and updates the row instead.
 */
import type { Logger } from 'pino';
import { Redis } from 'ioredis';
import type { Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import { mapNotificationHeaders, type NotificationField } from '../../sheets/columns.ts';
import { quoteTitle, rowRange, tabRange } from '../../sheets/google/a1.ts';
import { createJwtClient, loadServiceAccount } from '../../sheets/google/credentials.ts';
import { createQuotaLimiter } from '../../sheets/google/quotaLimiter.ts';
import { ensureNotificationTab } from '../../sheets/google/sheetSetup.ts';
import { createSheetsApi, type CellValue, type SheetsApi } from '../../sheets/google/sheetsApi.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { LockTimeoutError, withLock } from '../../state/lock.ts';
import type { NotificationEntry, NotificationLog } from '../notificationLog.ts';

/** Rows per flush (one append of this many rows stays well under Google's request size). */
const BATCH = 500;
const FLUSH_LOCK_MS = 60_000;

export const sheetRowId = (id: string): string => `N-${id.padStart(6, '0')}`;

const cellsOf = (e: NotificationEntry): Record<NotificationField, string> => ({
  id: sheetRowId(e.id),
  at: e.at,
  customerId: e.customerId,
  channel: e.channel,
  campaign: e.campaign,
  content: e.content,
  providerMessageId: e.providerMessageId ?? '',
  status: e.status,
  error: e.error ?? '',
});
/** What can change after a row is appended. */
const UPDATABLE: readonly NotificationField[] = ['providerMessageId', 'status', 'error'];

export interface FlushResult {
  appended: number;
  updated: number;
  /** Another instance was flushing. */
  busy: boolean;
}

/** Writes the given entries to the tab: updates rows found by ID, appends the rest. */
export async function writeNotificationRows(api: SheetsApi, title: string, entries: readonly NotificationEntry[]): Promise<{ appended: number; updated: number }> {
  const [values = []] = await api.batchGet([tabRange(title)]);
  const columnOf = mapNotificationHeaders((values[0] ?? []).map((h) => h.trim()));
  const idCol = columnOf.id;
  if (idCol === undefined) throw new Error(`the tab "${title}" has no ID column (\`launcher sheets init\` adds it)`);
  const rowOf = new Map<string, number>();
  values.forEach((row, i) => {
    const key = (row[idCol] ?? '').trim();
    if (i > 0 && key && !rowOf.has(key)) rowOf.set(key, i + 1);
  });
  const width = Math.max(...Object.values(columnOf)) + 1;
  const updates: { range: string; values: CellValue[][] }[] = [];
  const appends: CellValue[][] = [];
  for (const e of entries) {
    const cells = cellsOf(e);
    const row = rowOf.get(cells.id);
    if (row === undefined) {
      const line: CellValue[] = Array.from({ length: width }, () => null);
      for (const [field, col] of Object.entries(columnOf) as [NotificationField, number][]) line[col] = cells[field];
      appends.push(line);
      continue;
    }
    const cols = UPDATABLE.flatMap((f) => (columnOf[f] === undefined ? [] : [[columnOf[f], cells[f]] as const]));
    if (cols.length === 0) continue;
    const from = Math.min(...cols.map(([c]) => c));
    const to = Math.max(...cols.map(([c]) => c));
    const line: CellValue[] = Array.from({ length: to - from + 1 }, () => null);
    for (const [c, v] of cols) line[c - from] = v;
    updates.push({ range: rowRange(title, row, from, to), values: [line] });
  }
  if (updates.length) await api.batchUpdate(updates);
  if (appends.length) await api.append(`${quoteTitle(title)}!A1`, appends);
  return { appended: appends.length, updated: updates.length };
}

export interface SheetMirrorOptions {
  api: SheetsApi;
  title: string;
  kv: KeyValueStore;
  logger: Logger;
  /** Wait after a write before flushing (a burst goes in one batch). */
  delayMs: number;
  /** Closed with the log (the Redis client of the limiter). */
  onClose?: () => Promise<void>;
  /** How long close() may spend on the last flush (default 15 s); what is left goes with the next flush. */
  closeTimeoutMs?: number;
}

export type MirroredLog = NotificationLog & { flush(): Promise<FlushResult> };

export function mirrorToSheet(base: NotificationLog, o: SheetMirrorOptions): MirroredLog {
  const log = o.logger.child({ component: 'notifications-sheet', tab: o.title });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<FlushResult> | undefined;
  let tabReady = false;
  let closed = false;

  async function flushOnce(): Promise<FlushResult> {
    const result: FlushResult = { appended: 0, updated: 0, busy: false };
    try {
      await withLock(o.kv, `outreach:notif:sheet-flush:${o.title}`, FLUSH_LOCK_MS, async () => {
        if (!tabReady) (await ensureNotificationTab(o.api, o.title), (tabReady = true));
        for (let pending = await base.unsynced(BATCH); pending.length; pending = await base.unsynced(BATCH)) {
          const r = await writeNotificationRows(o.api, o.title, pending);
          await base.markSynced(pending);
          result.appended += r.appended;
          result.updated += r.updated;
          if (pending.length < BATCH) break;
        }
      }, { timeoutMs: 100 });
    } catch (err) {
      if (err instanceof LockTimeoutError) return { ...result, busy: true };
      throw err;
    }
    return result;
  }

  function flush(): Promise<FlushResult> {
    if (timer) (clearTimeout(timer), (timer = undefined));
    // One flush at a time in this process; a flush asked for while one runs runs after it.
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(flushOnce);
    running = next.finally(() => {
      if (running === next) running = undefined;
    });
    return next;
  }

  function schedule(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush()
        .then((r) => (r.busy ? schedule() : undefined))
        .catch((err: Error) => {
          log.warn({ error: err.message }, 'notifications not written to the Sheet yet; kept for the next flush');
          schedule();
        });
    }, o.delayMs);
    timer.unref();
  }

  return {
    async record(entry) {
      const e = await base.record(entry);
      schedule();
      return e;
    },
    async updateStatus(providerMessageId, status, error) {
      const found = await base.updateStatus(providerMessageId, status, error);
      if (found) schedule();
      return found;
    },
    list: (filter) => base.list(filter),
    counts: () => base.counts(),
    unsynced: (limit) => base.unsynced(limit),
    markSynced: (entries) => base.markSynced(entries),
    flush,
    async close() {
      closed = true;
      if (timer) (clearTimeout(timer), (timer = undefined));
      let deadline: NodeJS.Timeout | undefined;
      try {
        const late = new Promise<'late'>((resolve) => (deadline = setTimeout(() => resolve('late'), o.closeTimeoutMs ?? 15_000)));
        const r = await Promise.race([flush(), late]);
        if (r === 'late') log.warn('notifications not all written to the Sheet at close; sent by the next flush of any instance');
        else if (r.busy) log.info('another instance is writing notifications to the Sheet; it sends ours too');
      } catch (err) {
        log.warn({ error: (err as Error).message }, 'notifications not written to the Sheet at close; sent by the next flush of any instance');
      } finally {
        clearTimeout(deadline);
      }
      await o.onClose?.();
      await running?.catch(() => undefined);
      await base.close();
    },
  };
}

/** The Sheets client for the mirror from the environment, on the store's quota (shared through Redis when configured). */
export function notificationSheetsApi(env: Env, config: IspConfig, logger: Logger): { api: SheetsApi; close(): Promise<void> } {
  const account = loadServiceAccount(env);
  const settings = config.sheet.google;
  const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err: Error) => logger.debug({ error: err.message }, 'Redis (notifications Sheet limiter) error'));
  const closing = new AbortController();
  const api = createSheetsApi({
    spreadsheetId: env.GOOGLE_SHEETS_ID!,
    jwt: createJwtClient(account),
    ...(env.SHEETS_API_ROOT ? { rootUrl: env.SHEETS_API_ROOT } : {}),
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    limiter: createQuotaLimiter({ readsPerMinute: settings.readsPerMinute, writesPerMinute: settings.writesPerMinute, user: account.client_email, ...(redis ? { redis } : {}) }),
    retry: { maxAttempts: settings.maxAttempts, baseDelayMs: 1000, maxDelayMs: 30_000 },
    logger,
    signal: closing.signal,
  });
  return {
    api,
    async close() {
      closing.abort();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
