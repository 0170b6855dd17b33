import { afterEach, describe, expect, it } from 'vitest';
import { metaJson, metaSignature, postDelivery } from '../../emulators/whatsapp/metaWebhook.ts';
import { delivery, messagesValue, msg, status, statusesValue, type Sender } from './fixtures/metaPayloads.ts';
import { APP_SECRET, startWhatsAppStack, VERIFY_TOKEN, type WhatsAppStack } from './whatsAppStack.ts';

let stack: WhatsAppStack;
afterEach(async () => stack?.close());

const ANA: Sender = { waId: '5215512345678', name: 'Ana López' };
const hola = () => delivery(messagesValue([ANA], [msg.text(ANA.waId, 'hola')]));
const verify = (query: string) => fetch(`${stack.webhookUrl}?${query}`);

describe('GET /webhook (subscription handshake)', () => {
  it('answers the exact hub.challenge for the right verify token, 403 otherwise', async () => {
    stack = await startWhatsAppStack();
    const ok = await verify(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await verify('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock')).status).toBe(403);
    expect((await verify(`hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`)).status).toBe(403);
    expect((await verify(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`)).status).toBe(403);
    expect((await verify('')).status).toBe(403);
  });
});

describe('POST /webhook', () => {
  it('missing, wrong and sha1= signatures → 401 and nothing processed', async () => {
    stack = await startWhatsAppStack();
    const body = metaJson(hola());
    const attempts: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': metaSignature(body, 'not-the-app-secret') },
      { 'x-hub-signature-256': metaSignature(body, APP_SECRET, 'sha1') },
      { 'x-hub-signature': metaSignature(body, APP_SECRET, 'sha1') },
      { 'x-hub-signature-256': metaSignature(`${body} `, APP_SECRET) },
    ];
    for (const headers of attempts) expect((await stack.post(body, { headers })).status).toBe(401);
    await stack.channel.idle();
    expect(stack.channel.metrics).toMatchObject({ rejectedSignatures: 5, deliveries: 0, turns: 0 });
    expect(stack.graph.sent).toEqual([]);
    expect(await stack.app.deps.kv.get('session:whatsapp:525512345678')).toBeUndefined();
  });

  it('the same delivery twice → one reply', async () => {
    stack = await startWhatsAppStack();
    const body = metaJson(hola());
    expect((await stack.deliver(body)).status).toBe(200);
    const once = stack.graph.sent.length;
    expect(once).toBeGreaterThan(0);
    expect((await stack.deliver(body)).status).toBe(200);
    expect(stack.graph.sent.length).toBe(once);
    expect(stack.channel.metrics).toMatchObject({ deliveries: 2, turns: 1, duplicates: 1 });
  });

  it('the callback URL as Meta may have it: a trailing slash, another letter case, a query string', async () => {
    stack = await startWhatsAppStack();
    for (const [i, url] of [`${stack.webhookUrl}/`, stack.webhookUrl.replace('/webhook', '/Webhook'), `${stack.webhookUrl}?source=meta`].entries()) {
      const body = metaJson(delivery(messagesValue([{ waId: `52155123456${i}0`, name: 'Ana' }], [msg.text(`52155123456${i}0`, 'hola')])));
      expect((await postDelivery(url, body, { secret: APP_SECRET })).status, url).toBe(200);
    }
    await stack.graph.waitForSent(3);
  });

  it('a body over 3 MB → 413, nothing processed', async () => {
    stack = await startWhatsAppStack();
    const big = metaJson(delivery(messagesValue([ANA], [msg.text(ANA.waId, 'x'.repeat(3 * 1024 * 1024))])));
    const res = await stack.post(big);
    expect(res.status).toBe(413);
    await stack.channel.idle();
    expect(stack.channel.metrics.deliveries).toBe(0);
    expect(stack.graph.sent).toEqual([]);
  });

  it('a 2.9 MB genuine batch (300 messages of 100 people plus ~10,700 statuses) is accepted and all of it processed', async () => {
    stack = await startWhatsAppStack({ tuning: { sendsPerSecond: 5000 }, graphOptions: { throughputPerSecond: 5000 } });
    const people = Array.from({ length: 100 }, (_, i) => ({ waId: `5215540${String(i).padStart(6, '0')}`, name: `Cliente ${i}` }));
    const t0 = Math.floor(Date.now() / 1000);
    const texts = ['hola', '¿qué planes tienen en la colonia Las Flores?', 'quiero contratar internet'];
    const messages = people.flatMap((p) => texts.map((text, k) => msg.text(p.waId, text, { timestamp: String(t0 - 3 + k) })));
    // Statuses are most of what Meta sends: fill the batch up to 2.9 MiB with them (~270 bytes each).
    const target = Math.floor(2.9 * 1024 * 1024);
    const statuses: Record<string, unknown>[] = [];
    const size = () => metaJson(delivery(messagesValue(people, messages), statusesValue(statuses))).length;
    const add = (n: number) => {
      for (let i = 0; i < n; i++) statuses.push(status(`wamid.batch${String(statuses.length).padStart(6, '0')}`, statuses.length % 3 ? 'delivered' : 'read', people[statuses.length % 100]!.waId));
    };
    add(1000);
    const perStatus = (size() - metaJson(delivery(messagesValue(people, messages), statusesValue([]))).length) / 1000;
    add(Math.floor((target - size()) / perStatus) - 5);
    while (size() + perStatus < target) add(1);
    const body = metaJson(delivery(messagesValue(people, messages), statusesValue(statuses)));
    expect(body.length).toBeGreaterThan(2.89 * 1024 * 1024);
    expect(body.length).toBeLessThanOrEqual(2.9 * 1024 * 1024);
    const started = performance.now();
    const res = await stack.post(body);
    expect(res.status).toBe(200);
    await stack.channel.idle();
    console.log(
      `${(body.length / 1024 / 1024).toFixed(2)} MiB batch: 200 handed to the socket ${stack.ackTimes[0]!.toFixed(0)} ms after the request started; ` +
        `${stack.channel.metrics.turns} turns, ${statuses.length} statuses, ${stack.graph.sent.length} sends done in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(stack.channel.metrics.turns).toBe(300);
    expect(Object.values(stack.channel.metrics.statuses).reduce((a, b) => a + b, 0)).toBe(statuses.length);
    for (const p of people) expect(stack.graph.sentTo(p.waId.replace(/^521/, '52')).length).toBeGreaterThanOrEqual(3);
    expect(stack.graph.refused).toEqual([]);
  }, 60_000);

  it('a signed but malformed body is answered 200 (Meta must not retry it) and logged with the reason', async () => {
    stack = await startWhatsAppStack();
    expect((await stack.deliver('{"object":"whatsapp_business_account","entry":"nope"}')).status).toBe(200);
    expect((await stack.deliver('not json at all')).status).toBe(200);
    expect(stack.channel.metrics).toMatchObject({ deliveries: 2, malformed: 2, turns: 0 });
    // A batch with one broken message still answers the good one.
    const broken = { ...msg.text(ANA.waId, 'x'), text: 42 };
    expect((await stack.deliver(delivery(messagesValue([ANA], [broken, msg.text(ANA.waId, 'hola')])))).status).toBe(200);
    expect(stack.channel.metrics).toMatchObject({ turns: 1, skippedItems: 1 });
  });

  it('a status-only delivery is recorded for metrics and is never a turn; redelivered statuses count once', async () => {
    stack = await startWhatsAppStack();
    const statuses = delivery(statusesValue([status('wamid.S1', 'sent', ANA.waId), status('wamid.S1', 'delivered', ANA.waId), status('wamid.S1', 'read', ANA.waId), status('wamid.S2', 'failed', ANA.waId, 131026)]));
    await stack.deliver(statuses);
    await stack.deliver(statuses);
    expect(stack.channel.metrics.statuses).toEqual({ sent: 1, delivered: 1, read: 1, failed: 1 });
    expect(stack.channel.metrics.failedByCode).toEqual({ '131026': 1 });
    expect(stack.channel.metrics.turns).toBe(0);
    expect(stack.graph.sent).toEqual([]);
    const day = new Date().toISOString().slice(0, 10);
    expect(await stack.app.deps.kv.get(`metrics:whatsapp:${day}:read`)).toBe(1);
  });

  it('each person in order, different people in parallel: a batch of two users interleaved', async () => {
    stack = await startWhatsAppStack();
    const BETO: Sender = { waId: '5215587654321', name: 'Beto Ruiz' };
    const t = Math.floor(Date.now() / 1000);
    // Ana's messages arrive out of order inside the batch; her turns still run by timestamp.
    const batch = delivery(
      messagesValue(
        [ANA, BETO],
        [
          msg.buttonReply(ANA.waId, 'yes', 'Sí', { timestamp: String(t) }),
          msg.text(BETO.waId, 'hola', { timestamp: String(t) }),
          msg.text(ANA.waId, 'quiero contratar internet', { timestamp: String(t - 1) }),
        ],
      ),
    );
    await stack.deliver(batch);
    const ana = stack.graph.sentTo('525512345678');
    const texts = ana.map((m) => (m.body.type === 'interactive' ? m.body.interactive.body.text : m.body.type === 'text' ? m.body.text.body : ''));
    expect(texts.join('\n')).toMatch(/¿Registro a nombre de Ana López\?[\s\S]*zona/);
    expect(stack.graph.sentTo('525587654321').length).toBeGreaterThan(0);
  });

  it('answers fast: 40 single-message deliveries, p99 of the 200 printed', async () => {
    stack = await startWhatsAppStack();
    const client: number[] = [];
    for (let i = 0; i < 40; i++) {
      const body = metaJson(delivery(messagesValue([ANA], [msg.text(ANA.waId, i % 2 ? 'hola' : 'planes')])));
      const started = performance.now();
      const res = await stack.post(body);
      client.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    await stack.channel.idle();
    const server = [...stack.ackTimes].sort((a, b) => a - b);
    client.sort((a, b) => a - b);
    console.log(
      `webhook 200, server side: p50 ${server[19]!.toFixed(1)} ms, p99 ${server[39]!.toFixed(1)} ms; ` +
        `seen by the in-process client: p50 ${client[19]!.toFixed(1)} ms, p99 ${client[39]!.toFixed(1)} ms (40 deliveries, turns in the background)`,
    );
    expect(stack.channel.metrics.turns).toBe(40);
  });
});
