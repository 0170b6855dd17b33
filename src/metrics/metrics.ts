import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UsageSnapshot } from '../agent/gemini/usage.ts';
import type { OutboxStats } from '../sheets/google/outbox.ts';
import type { SheetsMetricsSink } from '../sheets/google/sheetsMetrics.ts';

/**
 * The process's Prometheus metrics, built once in the composition root and handed to whoever
 * records (gateway, messaging server, channels). No module-level registry: each `createMetrics()`
 * owns its own, so tests and several apps in one process never mix their series.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly turns: Counter<'channel' | 'intent'>;
  readonly turnSeconds: Histogram<'channel'>;
  readonly httpSeconds: Histogram<'route' | 'method' | 'status'>;
  readonly dedupeHits: Counter<'channel'>;
  readonly rateLimited: Counter<'channel'>;
  readonly sends: Counter<'channel'>;
  readonly sendErrors: Counter<'channel' | 'code'>;
  readonly tickets: Counter<'channel'>;
  readonly registrations: Counter<'channel'>;
  /** Marks a conversation as active now (a turn ran); counted for `activeWindowMs`. */
  conversationSeen(conversation: string): void;
  /** Gemini's counters are read from its usage snapshot at every scrape. */
  observeGemini(snapshot: () => UsageSnapshot): void;
  /** WhatsApp delivery statuses (sent, delivered, read, failed) read from the channel at every scrape. */
  observeWhatsAppStatuses(statuses: () => Record<string, number>): void;
  /** Google Sheets: requests by kind and outcome, 429 answers, and the write outbox read at every scrape. */
  readonly sheets: SheetsMetricsSink;
  /** The Prometheus text exposition. */
  scrape(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** A conversation with a turn in this window counts as active (default 15 minutes). */
  activeWindowMs?: number;
  /** Node's process metrics (RSS, event loop lag, GC); default on. */
  processMetrics?: boolean;
  now?: () => number;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const now = options.now ?? (() => Date.now());
  const activeWindow = options.activeWindowMs ?? 15 * 60_000;
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'isp_' });
  const registers = [registry];
  const seen = new Map<string, number>();
  let gemini: (() => UsageSnapshot) | undefined;
  let waStatuses: (() => Record<string, number>) | undefined;
  let sheetsOutbox: (() => Promise<OutboxStats>) | undefined;

  new Gauge({
    name: 'isp_active_conversations',
    help: `Conversations with a turn in the last ${Math.round(activeWindow / 60_000)} minutes (this instance)`,
    registers,
    collect() {
      const cutoff = now() - activeWindow;
      for (const [key, at] of seen) if (at < cutoff) seen.delete(key);
      this.set(seen.size);
    },
  });
  new Gauge({
    name: 'isp_gemini_total',
    help: 'Gemini counters since start: turns, answered, requests, retries, fallbacks, tool_calls, tool_errors, grounding_rejections',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      if (!gemini) return;
      const s = gemini();
      const kinds = { turns: s.turns, answered: s.answered, requests: s.requests, retries: s.retries, fallbacks: s.fallbacks, tool_calls: s.toolCalls, tool_errors: s.toolErrors, grounding_rejections: s.groundingRejections };
      for (const [kind, value] of Object.entries(kinds)) this.set({ kind }, value);
    },
  });
  new Gauge({
    name: 'isp_gemini_fallbacks_by_reason',
    help: 'Gemini turns answered by the offline path instead, by reason',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      if (!gemini) return;
      for (const [reason, n] of Object.entries(gemini().fallbackReasons)) this.set({ reason }, n ?? 0);
    },
  });
  new Gauge({
    name: 'isp_gemini_tokens',
    help: 'Gemini tokens since start, by direction (in = prompt, out = candidates)',
    labelNames: ['direction'] as const,
    registers,
    collect() {
      if (!gemini) return;
      const s = gemini();
      this.set({ direction: 'in' }, s.tokensIn);
      this.set({ direction: 'out' }, s.tokensOut);
    },
  });
  new Gauge({
    name: 'isp_gemini_spend_today_usd',
    help: "Gemini's spend today as last read from the shared ledger (USD)",
    registers,
    collect() {
      if (gemini) this.set(gemini().spendToday.usd);
    },
  });
  new Gauge({
    name: 'isp_whatsapp_statuses',
    help: 'WhatsApp delivery statuses seen by this instance since start (redeliveries excluded)',
    labelNames: ['status'] as const,
    registers,
    collect() {
      if (!waStatuses) return;
      for (const [status, n] of Object.entries(waStatuses())) this.set({ status }, n);
    },
  });
  const sheetsRequests = new Counter({
    name: 'isp_sheets_requests_total',
    help: 'Google Sheets API request attempts, by kind (read, write, append) and outcome (ok; retry = failed and tried again; error = failed for good)',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const sheets429 = new Counter({ name: 'isp_sheets_429_total', help: 'Google Sheets API answers 429 (quota exceeded), by kind', labelNames: ['kind'] as const, registers });
  /** The outbox is shared by the instances on one Redis (or one DATA_DIR): every instance reports the same backlog. */
  async function readOutbox(): Promise<OutboxStats | undefined> {
    return sheetsOutbox?.().catch(() => undefined);
  }
  new Gauge({
    name: 'isp_sheets_outbox_pending',
    help: 'Sheets writes waiting in the durable outbox (shared: the same on every instance)',
    registers,
    async collect() {
      const stats = await readOutbox();
      if (stats) this.set(stats.pending);
    },
  });
  new Gauge({
    name: 'isp_sheets_outbox_oldest_age_seconds',
    help: 'Age of the oldest Sheets write waiting in the outbox (0 when empty)',
    registers,
    async collect() {
      const stats = await readOutbox();
      if (stats) this.set(stats.oldest === undefined ? 0 : Math.max(0, (now() - stats.oldest) / 1000));
    },
  });
  const sheets: SheetsMetricsSink = {
    request(kind, outcome, status) {
      sheetsRequests.inc({ kind, outcome });
      if (status === 429) sheets429.inc({ kind });
    },
    observeOutbox: (stats) => void (sheetsOutbox = stats),
  };

  return {
    registry,
    turns: new Counter({ name: 'isp_turns_total', help: 'Turns run, by channel and intent', labelNames: ['channel', 'intent'] as const, registers }),
    turnSeconds: new Histogram({
      name: 'isp_turn_duration_seconds',
      help: 'Time of one turn (session, actor, agent, session saved), by channel',
      labelNames: ['channel'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    httpSeconds: new Histogram({
      name: 'isp_http_request_duration_seconds',
      help: 'Messaging server: time to answer a request (webhook ack latency), by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers,
    }),
    dedupeHits: new Counter({ name: 'isp_dedupe_hits_total', help: 'Messages already handled (provider redeliveries), by channel', labelNames: ['channel'] as const, registers }),
    rateLimited: new Counter({ name: 'isp_rate_limited_total', help: 'Messages not run because the user exceeded the per-user rate limit', labelNames: ['channel'] as const, registers }),
    sends: new Counter({ name: 'isp_sends_total', help: 'Messages sent to the provider, by channel', labelNames: ['channel'] as const, registers }),
    sendErrors: new Counter({ name: 'isp_send_errors_total', help: 'Messages the provider refused after retries, by channel and provider error code', labelNames: ['channel', 'code'] as const, registers }),
    tickets: new Counter({ name: 'isp_tickets_total', help: 'Incident tickets created, by channel', labelNames: ['channel'] as const, registers }),
    registrations: new Counter({ name: 'isp_registrations_total', help: 'Prospects registered, by channel', labelNames: ['channel'] as const, registers }),
    conversationSeen: (conversation) => void seen.set(conversation, now()),
    observeGemini: (snapshot) => void (gemini = snapshot),
    observeWhatsAppStatuses: (statuses) => void (waStatuses = statuses),
    sheets,
    scrape: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
