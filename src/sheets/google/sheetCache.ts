/**
 * The read side: the three tabs fetched together in one values.batchGet, kept for the cache TTL,
 * refreshed by one request at a time however many turns ask at once, and laid under the overlay
 * of writes the sheet does not show yet (ours and, through a shared outbox, other instances').
 * Our own writes enter the overlay at once, so they are visible without a re-read. When a refresh
 * fails the last read keeps serving (logged) rather than failing every turn.
 */
import type { Logger } from 'pino';
import type { ColumnAliases, TabRecord } from '../columns.ts';
import { TAB_NAMES, type Customer, type Incident, type TabName } from '../records.ts';
import type { RowIssue } from '../store.ts';
import { tabRange } from './a1.ts';
import type { Outbox } from './outbox.ts';
import { SheetsApiError } from './retry.ts';
import type { SheetsApi } from './sheetsApi.ts';
import { buildTabView, indexCustomers, newestFirst, type CustomerIndex, type OverlayEntry, type TabView } from './sheetView.ts';
import { decodeTab, type DecodeMemo, type Tabs } from './tabData.ts';

export interface SheetCacheOptions {
  api: SheetsApi;
  outbox: Outbox;
  titles: Record<TabName, string>;
  aliases: ColumnAliases;
  ttlMs: number;
  logger: Logger;
  clock: () => number;
}

export interface SheetCache {
  /** The tabs as last read, re-read when older than `maxAgeMs` (default: the TTL). */
  tabs(maxAgeMs?: number): Promise<Tabs>;
  /** A read now (writes use it to find rows by id). */
  refresh(): Promise<Tabs>;
  view<T extends TabName>(tab: T): Promise<TabView<T>>;
  customerIndex(): Promise<CustomerIndex>;
  incidentsNewestFirst(): Promise<Incident[]>;
  /** Our writes, visible at once. */
  addOverlay(entries: readonly OverlayEntry[]): void;
  issues(): Promise<RowIssue[]>;
  /** Every id/folio of a tab we know of: valid rows, bad rows and pending writes. */
  knownKeys(tab: TabName): Set<string>;
}

export function createSheetCache(o: SheetCacheOptions): SheetCache {
  let current: { tabs: Tabs; at: number } | undefined;
  const memo: DecodeMemo = new Map();
  let existing: Set<string> | undefined;
  let overlay: OverlayEntry[] = [];
  let version = 0;
  let inflight: Promise<Tabs> | undefined;
  let retryAfter = 0;
  let failing = false;
  let lastIssues = '';
  const views = new Map<TabName, { version: number; view: TabView<TabName> }>();
  let customerIdx: { version: number; index: CustomerIndex } | undefined;
  let incidentsSorted: { version: number; list: Incident[] } | undefined;

  async function fetchTabs(): Promise<Tabs> {
    if (!existing || TAB_NAMES.some((t) => !existing!.has(o.titles[t]))) {
      existing = new Set((await o.api.spreadsheet()).tabs.map((t) => t.title));
    }
    const present = TAB_NAMES.filter((t) => existing!.has(o.titles[t]));
    let values: string[][][];
    try {
      values = present.length ? await o.api.batchGet(present.map((t) => tabRange(o.titles[t]))) : [];
    } catch (err) {
      // A tab renamed or deleted since we looked: look again next time.
      if (err instanceof SheetsApiError && err.status === 400) existing = undefined;
      throw err;
    }
    const valuesOf = (t: TabName) => (present.includes(t) ? (values[present.indexOf(t)] ?? []) : undefined);
    return {
      Clientes: decodeTab('Clientes', o.titles.Clientes, valuesOf('Clientes'), o.aliases, memo),
      Incidentes: decodeTab('Incidentes', o.titles.Incidentes, valuesOf('Incidentes'), o.aliases, memo),
      Prospectos: decodeTab('Prospectos', o.titles.Prospectos, valuesOf('Prospectos'), o.aliases, memo),
    };
  }

  function refresh(): Promise<Tabs> {
    inflight ??= (async () => {
      const mark = overlay.length;
      try {
        const listed = await o.outbox.list();
        const tabs = await fetchTabs();
        const byId = new Map<number, OverlayEntry>();
        for (const e of [...listed, ...overlay.slice(mark)]) byId.set(e.id, e);
        overlay = [...byId.values()].sort((a, b) => a.id - b.id);
        current = { tabs, at: o.clock() };
        version++;
        const issues = TAB_NAMES.flatMap((t) => tabs[t].issues);
        const signature = issues.map((i) => `${i.tab}:${i.row}:${i.message}`).join('|');
        if (failing) o.logger.info('Google Sheet readable again');
        if (signature !== lastIssues && issues.length) o.logger.warn({ issues: issues.length, rows: issues.slice(0, 10).map((i) => `${i.tab}:${i.row}`) }, 'rows of the sheet with problems (left out until fixed)');
        lastIssues = signature;
        failing = false;
        return tabs;
      } catch (err) {
        retryAfter = o.clock() + Math.min(o.ttlMs, 10_000);
        if (!failing) o.logger.warn({ error: (err as Error).message, serving: current ? 'last read' : 'nothing' }, 'cannot read the Google Sheet');
        failing = true;
        throw err;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  async function tabs(maxAgeMs = o.ttlMs): Promise<Tabs> {
    if (current && o.clock() - current.at < maxAgeMs) return current.tabs;
    if (current && o.clock() < retryAfter) return current.tabs;
    try {
      return await refresh();
    } catch (err) {
      if (current) return current.tabs;
      throw err;
    }
  }

  async function view<T extends TabName>(tab: T): Promise<TabView<T>> {
    const data = (await tabs())[tab];
    const hit = views.get(tab);
    if (hit && hit.version === version) return hit.view as unknown as TabView<T>;
    const built = buildTabView(data, overlay, memo);
    views.set(tab, { version, view: built as unknown as TabView<TabName> });
    return built;
  }

  return {
    tabs,
    refresh,
    view,
    async customerIndex() {
      const v = await view('Clientes');
      if (customerIdx?.version !== version) customerIdx = { version, index: indexCustomers(v.records as Customer[]) };
      return customerIdx.index;
    },
    async incidentsNewestFirst() {
      const v = await view('Incidentes');
      if (incidentsSorted?.version !== version) incidentsSorted = { version, list: newestFirst(v.records as TabRecord['Incidentes'][]) };
      return incidentsSorted.list;
    },
    addOverlay(entries) {
      if (entries.length === 0) return;
      overlay.push(...entries);
      version++;
    },
    async issues() {
      const t = await tabs();
      return TAB_NAMES.flatMap((name) => t[name].issues);
    },
    knownKeys(tab) {
      const keys = new Set<string>(current ? current.tabs[tab].keyRows.keys() : []);
      for (const e of overlay) if (e.tab === tab) keys.add(e.key);
      return keys;
    },
  };
}
