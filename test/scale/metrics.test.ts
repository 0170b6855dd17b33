import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadMessages } from '../../src/config/messages.ts';
import { createInProcessPipeline } from '../../src/queue/inProcessPipeline.ts';
import { observeInboundQueue } from '../../src/queue/queueMetrics.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { shippedConfig } from '../support/harness.ts';
import { countStoreWrites } from '../../src/metrics/countingStore.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { delivery, newWamid, status, statusesValue } from '../channels/whatsapp/fixtures/metaPayloads.ts';
import { metaJson, postDelivery } from '../emulators/whatsapp/metaWebhook.ts';
import { APP_SECRET, recipient, sample, startScaleStack, waId, type ScaleStack } from './scaleStack.ts';

let stack: ScaleStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('/metrics on the messaging port', () => {
  it('exposes turns by channel and intent, latencies, dedupe hits, sends, statuses and active conversations', async () => {
    stack = await startScaleStack();
    const users = [waId(1), waId(2), waId(3)];
    for (const u of users) expect(await stack.send(u, 'hola')).toBe(200);
    const repeated = newWamid();
    expect(await stack.send(users[0]!, 'qué planes tienen', repeated)).toBe(200);
    await stack.channel.idle();
    expect(await stack.send(users[0]!, 'qué planes tienen', repeated)).toBe(200); // Meta redelivers
    await stack.channel.idle();
    const sentCount = stack.graph.sent.length;
    expect(stack.graph.sentTo(recipient(users[0]!)).length).toBeGreaterThanOrEqual(2);
    const wamid = stack.graph.sent[0]!.wamid;
    const statuses = metaJson(delivery(statusesValue([status(wamid, 'delivered', recipient(users[0]!)), status(wamid, 'read', recipient(users[0]!))])));
    expect((await postDelivery(`${stack.baseUrl}/webhook`, statuses, { secret: APP_SECRET })).status).toBe(200);
    await stack.channel.idle();

    const res = await fetch(`${stack.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'isp_turns_total', { channel: 'whatsapp' })).toBe(4);
    expect(sample(text, 'isp_turns_total', { channel: 'whatsapp', intent: 'saludo' })).toBe(3);
    expect(sample(text, 'isp_turn_duration_seconds_count', { channel: 'whatsapp' })).toBe(4);
    expect(sample(text, 'isp_dedupe_hits_total', { channel: 'whatsapp' })).toBe(1);
    expect(sample(text, 'isp_active_conversations')).toBe(3);
    expect(sample(text, 'isp_sends_total', { channel: 'whatsapp' })).toBe(sentCount);
    expect(sample(text, 'isp_whatsapp_statuses', { status: 'delivered' })).toBe(1);
    expect(sample(text, 'isp_whatsapp_statuses', { status: 'read' })).toBe(1);
    // Webhook ack latency: every POST /webhook observed with its status.
    expect(sample(text, 'isp_http_request_duration_seconds_count', { route: '/webhook', method: 'POST', status: '200' })).toBe(6);
  }, 30_000);

  it('counts send errors by Meta error code', async () => {
    stack = await startScaleStack();
    stack.graph.failNext(131026, 5);
    expect(await stack.send(waId(9), 'hola')).toBe(200);
    await stack.channel.idle();
    const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(sample(text, 'isp_send_errors_total', { channel: 'whatsapp', code: '131026' })).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('counts tickets and registrations by the channel recorded on the row', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const store = countStoreWrites(openLocalStore({ file: ':memory:' }), metrics);
    await store.createProspect({ name: 'Ana López', phone: '5512345678', zone: 'Centro', channel: 'telegram' });
    await store.createIncident({ type: 'falla', priority: 'alta', phone: '5512345678', channel: 'whatsapp' });
    await store.createIncident({ type: 'falla', priority: 'media', phone: '5512345679', channel: 'whatsapp' });
    expect((await store.listIncidents()).length).toBe(2); // everything else passes through
    const text = await metrics.scrape();
    expect(sample(text, 'isp_registrations_total', { channel: 'telegram' })).toBe(1);
    expect(sample(text, 'isp_tickets_total', { channel: 'whatsapp' })).toBe(2);
    await store.close();
  });

  it('reads Gemini usage at scrape time', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const usage = { turns: 3, answered: 2, requests: 4, retries: 1, fallbacks: 1, fallbackReasons: { timeout: 1 }, toolCalls: 2, toolErrors: 0, groundingRejections: 0, tokensIn: 1200, tokensOut: 300, spendToday: { day: '2026-03-10', usd: 0.01 } };
    metrics.observeGemini(() => usage);
    const text = await metrics.scrape();
    expect(sample(text, 'isp_gemini_total', { kind: 'requests' })).toBe(4);
    expect(sample(text, 'isp_gemini_total', { kind: 'fallbacks' })).toBe(1);
    expect(sample(text, 'isp_gemini_tokens', { direction: 'in' })).toBe(1200);
    expect(sample(text, 'isp_gemini_fallbacks_by_reason', { reason: 'timeout' })).toBe(1);
  });
});

describe('/healthz and /readyz', () => {
  it('is alive and ready while running; not ready (503, with the reason) once the channel stops', async () => {
    stack = await startScaleStack();
    expect(await (await fetch(`${stack.baseUrl}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${stack.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { state: 'ok', whatsapp: 'ok' } });
    await stack.channel.stop();
    const notReady = await fetch(`${stack.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ok: false, checks: { state: 'ok', whatsapp: 'not ready' } });
    expect(await stack.send(waId(4), 'hola')).toBe(503);
  }, 30_000);
});

/** The metric names a PromQL expression reads (functions, label names, `by (…)` and ranges removed). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)].map((m) => m[1]!).filter((w) => !/^(by|without|and|or|unless|bool|offset)$/.test(w) && !/^\d/.test(w));
}

describe('ops/grafana-dashboard.json', () => {
  interface Panel {
    id: number;
    type: string;
    title: string;
    datasource: { uid: string };
    gridPos: { x: number; y: number; w: number; h: number };
    targets: { refId: string; expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync(new URL('../../ops/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: Panel[] };

  async function registered(): Promise<Map<string, string>> {
    // As serverMode builds /metrics: the app's metrics plus the inbound queue's gauges.
    const metrics = createMetrics();
    const config = shippedConfig();
    const app = await createApp({
      config,
      env: parseEnv({ DATA_DIR: '/nonexistent' }),
      logger: pino({ level: 'silent' }),
      messages: loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url))),
      store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases }),
      kv: createMemoryKeyValue(),
      metrics,
    });
    observeInboundQueue(metrics.registry, createInProcessPipeline({ gateway: app.gateway, log: pino({ level: 'silent' }) }));
    const names = new Map((await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
    await app.close();
    return names;
  }

  it('reads only series that /metrics exports, each the right way (quantiles from histogram buckets)', async () => {
    const exported = await registered();
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(20);
    for (const expr of exprs) {
      const names = metricNames(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) {
        const histogram = /^(.*)_(bucket|count|sum)$/.exec(name);
        const family = histogram && exported.get(histogram[1]!) === 'histogram' ? histogram[1]! : name;
        expect(exported.has(family), `${name} in ${expr}`).toBe(true);
        if (name.endsWith('_bucket')) expect(expr, expr).toMatch(/histogram_quantile/);
      }
      if (expr.includes('histogram_quantile')) expect(expr).toMatch(/_bucket\b/);
    }
  }, 30_000);

  it('has a panel for every metric of the gateway (process metrics aside) and for each the issue asks for', async () => {
    const exported = await registered();
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr))).map((n) => n.replace(/_(bucket|count|sum)$/, '')));
    const own = [...exported.keys()].filter((n) => !/^isp_(process|nodejs)_/.test(n));
    for (const name of own) expect(used, name).toContain(name);
    const asked = [
      'isp_turns_total', 'isp_turn_duration_seconds', 'isp_http_request_duration_seconds', 'isp_dedupe_hits_total',
      'isp_inbound_queue_waiting', 'isp_inbound_queue_oldest_age_seconds', 'isp_sends_total', 'isp_send_errors_total',
      'isp_tickets_total', 'isp_registrations_total', 'isp_sheets_requests_total', 'isp_sheets_429_total', 'isp_sheets_outbox_pending',
      'isp_gemini_total', 'isp_gemini_tokens', 'isp_active_conversations',
    ];
    for (const name of asked) expect(used, name).toContain(name);
  }, 30_000);

  it('is a well-formed dashboard: unique ids, Prometheus targets on the datasource variable, no overlapping panels', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.datasource.uid, p.title).toBe('${datasource}');
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      const refs = p.targets.map((t) => t.refId);
      expect(new Set(refs).size, p.title).toBe(refs.length);
    }
    const overlaps = (a: Panel['gridPos'], b: Panel['gridPos']) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const [i, a] of dashboard.panels.entries()) for (const b of dashboard.panels.slice(i + 1)) expect(overlaps(a.gridPos, b.gridPos), `${a.title} / ${b.title}`).toBe(false);
  });
});
