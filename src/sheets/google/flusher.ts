/**
 * Sends what the outbox holds. One flush: take the lease (one flusher among the processes that
 * share the outbox), read the sheet when a row must be found by id, then at most one
 * values.batchUpdate for every changed row, a check that those rows did not move while we wrote
 * (staff insert and sort rows by hand; if they did, our cells go to our row and the row we wrote
 * over gets its cells back), and one values.append per tab for the new rows. What fails stays in
 * the outbox with a later retry time; nothing is dropped.
 */
import type { Logger } from 'pino';
import { KEY_FIELD } from '../rowCodec.ts';
import { columnRange, quoteTitle, rowRange } from './a1.ts';
import type { Outbox, StoredEntry } from './outbox.ts';
import { ClosedError, SheetsApiError, toSheetsApiError } from './retry.ts';
import type { CellValue, SheetsApi } from './sheetsApi.ts';
import type { TabData, Tabs } from './tabData.ts';
import { groupEntries, needsFreshRead, planWrites, type RowUpdate, type WriteGroup } from './writePlan.ts';

export interface FlushReport {
  /** Rows appended or updated. */
  written: number;
  failed: number;
  /** Another process holds the lease. */
  busy: boolean;
  /** Pending entries left, and when the earliest may be retried. */
  pending: number;
  nextAttemptAt?: number;
}

export interface FlusherOptions {
  api: SheetsApi;
  outbox: Outbox;
  logger: Logger;
  owner: string;
  /** The tabs read now (fresh) or the cached read when still valid. */
  readTabs(fresh: boolean): Promise<Tabs>;
  clock: () => number;
  /** Backoff between flush attempts of an entry: base doubles per attempt, capped. */
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  random?: () => number;
}

/** An error's message for logs and the outbox; library errors are reduced first (no request config, no tokens). */
function describe(err: unknown): string {
  if (err instanceof SheetsApiError) return err.message;
  if (err && typeof err === 'object' && ('config' in err || 'response' in err)) return toSheetsApiError(err).message;
  return err instanceof Error ? err.message : String(err);
}

const restoreValue = (text: string): CellValue => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

function rowWrite(title: string, row: number, cells: Map<number, CellValue>): { range: string; values: CellValue[][] } {
  const cols = [...cells.keys()];
  const from = Math.min(...cols);
  const to = Math.max(...cols);
  const values: CellValue[] = [];
  for (let c = from; c <= to; c++) values.push(cells.has(c) ? cells.get(c)! : null);
  return { range: rowRange(title, row, from, to), values: [values] };
}

export function createFlusher(o: FlusherOptions) {
  const random = o.random ?? Math.random;
  const warnedUnmapped = new Set<string>();
  let written = 0;

  const idsOf = (groups: readonly WriteGroup[]) => groups.flatMap((g) => g.ids);
  async function fail(groups: readonly WriteGroup[], err: unknown): Promise<void> {
    if (groups.length === 0) return;
    if (err instanceof ClosedError) return; // not an attempt: left as it was for the next start
    const message = describe(err);
    const attempts = Math.max(...groups.map((g) => g.attempts)) + 1;
    const step = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (attempts - 1));
    const next = o.clock() + step / 2 + random() * (step / 2);
    o.logger.warn({ rows: groups.length, attempts, retryInMs: Math.round(next - o.clock()), error: message }, 'Sheets write kept in the outbox');
    await o.outbox.failed(idsOf(groups), message, next);
  }

  /** After writing rows by number: are they still ours? If staff moved rows meanwhile, repair. */
  async function verify(updates: readonly RowUpdate[], tabs: Tabs): Promise<void> {
    const tabNames = [...new Set(updates.map((u) => u.tab))];
    const keyColumns = tabNames.map((t) => (tabs[t] as TabData).columnOf[KEY_FIELD[t] as never] as number);
    const columns = await o.api.batchGet(tabNames.map((t, i) => columnRange(tabs[t].title, keyColumns[i]!)));
    const restores: { range: string; values: CellValue[][] }[] = [];
    const rewrites: { range: string; values: CellValue[][] }[] = [];
    for (const u of updates) {
      const keys = columns[tabNames.indexOf(u.tab)] ?? [];
      const keyAt = (row: number) => (keys[row - 1]?.[0] ?? '').trim();
      if (keyAt(u.row) === u.group.key) continue;
      const now = keys.findIndex((r, i) => i > 0 && (r[0] ?? '').trim() === u.group.key) + 1;
      if (now > 0) rewrites.push(rowWrite(u.title, now, u.cells));
      const data = tabs[u.tab] as TabData;
      const other = keyAt(u.row);
      const before = other ? data.keyRows.get(other) : undefined;
      const restore = new Map<number, CellValue>();
      for (const col of u.cells.keys()) restore.set(col, before ? restoreValue(data.rows[before - 1]?.[col] ?? '') : '');
      restores.push(rowWrite(u.title, u.row, restore));
      o.logger.warn({ tab: u.tab, wroteRow: u.row, nowAt: now || undefined }, 'rows moved in the sheet while writing (inserted or sorted by hand): repaired');
    }
    // Restores first: where rows overlap, our own values win.
    await o.api.batchUpdate([...restores, ...rewrites]);
  }

  /** Before a request leaves: keep the lease, and mark its entries as possibly in the sheet. */
  async function claim(groups: readonly WriteGroup[]): Promise<void> {
    if (!(await o.outbox.tryLease(o.owner, o.leaseMs))) throw new Error('flush lease taken over by another process');
    await o.outbox.markSent(idsOf(groups), o.clock());
  }

  /** Sends the entries whose retry time has come (`all`: every pending entry). */
  async function flushDue(all = false): Promise<FlushReport> {
    const now = o.clock();
    const report = (failed = 0, busy = false): Promise<FlushReport> => summary(failed, busy);
    const isDue = (e: StoredEntry) => all || e.nextAttemptAt <= now;
    if (!(await o.outbox.list()).some(isDue)) return report();
    if (!(await o.outbox.tryLease(o.owner, o.leaseMs))) return report(0, true);
    let failed = 0;
    try {
      // Listed again under the lease: another process may have sent some meanwhile.
      const due = (await o.outbox.list()).filter(isDue);
      if (due.length === 0) return report();
      const groups = groupEntries(due);
      const fresh = needsFreshRead(groups);
      let tabs: Tabs;
      try {
        tabs = await o.readTabs(fresh);
      } catch (err) {
        await fail(groups, err);
        return report(groups.length);
      }
      const plan = planWrites(tabs, groups, fresh);
      for (const f of plan.unmapped) {
        if (!warnedUnmapped.has(f)) o.logger.warn({ field: f }, 'the sheet has no column for this field; its value is not written (`launcher sheets init` adds the header)');
        warnedUnmapped.add(f);
      }
      for (const s of plan.settled) if (s.note) o.logger.info({ tab: s.group.tab, note: s.note }, 'Sheets write settled without sending');
      if (plan.collisions.length) o.logger.error({ ids: plan.collisions }, 'new ids already used in the sheet (instances without a shared REDIS_URL?): appended anyway');
      await o.outbox.remove(idsOf(plan.settled.map((s) => s.group)));
      for (const b of plan.blocked) await fail([b.group], new Error(b.reason));
      failed += plan.blocked.length;

      if (plan.updates.length) {
        const groupsUpdated = plan.updates.map((u) => u.group);
        try {
          await claim(groupsUpdated);
          await o.api.batchUpdate(plan.updates.map((u) => rowWrite(u.title, u.row, u.cells)));
          await verify(plan.updates, tabs);
          await o.outbox.remove(idsOf(groupsUpdated));
          written += groupsUpdated.length;
        } catch (err) {
          await fail(groupsUpdated, err);
          failed += groupsUpdated.length;
        }
      }
      for (const batch of plan.appends) {
        try {
          await claim(batch.groups);
          await o.api.append(`${quoteTitle(batch.title)}!A1`, batch.rows);
          await o.outbox.remove(idsOf(batch.groups));
          written += batch.groups.length;
        } catch (err) {
          await fail(batch.groups, err);
          failed += batch.groups.length;
        }
      }
    } finally {
      await o.outbox.releaseLease(o.owner).catch(() => undefined);
    }
    return report(failed);
  }

  async function summary(failed: number, busy: boolean): Promise<FlushReport> {
    const left: StoredEntry[] = await o.outbox.list();
    const next = left.reduce((min, e) => Math.min(min, e.nextAttemptAt), Infinity);
    return { written, failed, busy, pending: left.length, ...(Number.isFinite(next) ? { nextAttemptAt: next } : {}) };
  }

  return {
    flushDue,
    /** Rows written since start. */
    get written() {
      return written;
    },
  };
}

export type Flusher = ReturnType<typeof createFlusher>;
