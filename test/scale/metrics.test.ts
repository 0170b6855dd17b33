import { afterEach, describe, expect, it } from 'vitest';
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

  it('counts tickets and registrations by the channel of the turn that wrote them', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const store = countStoreWrites(openLocalStore({ file: ':memory:' }), metrics);
    await metrics.withChannel('telegram', () => store.createProspect({ name: 'Ana López', phone: '5512345678', zone: 'Centro', channel: 'telegram' }));
    await metrics.withChannel('whatsapp', () => store.createIncident({ type: 'falla', priority: 'alta', phone: '5512345678', channel: 'whatsapp' }));
    await metrics.withChannel('whatsapp', () => store.createIncident({ type: 'falla', priority: 'media', phone: '5512345679', channel: 'whatsapp' }));
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

describe('ops/grafana-dashboard.json', () => {
  it('only reads series the registry exports', async () => {
    const { readFileSync } = await import('node:fs');
    const dashboard = readFileSync(new URL('../../ops/grafana-dashboard.json', import.meta.url), 'utf8');
    const used = new Set([...dashboard.matchAll(/\b(isp_\w+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));
    const metrics = createMetrics();
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(exported, name).toContain(name);
  });
});
