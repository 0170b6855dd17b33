import { afterEach, describe, expect, it } from 'vitest';
import { delivery, messagesValue, msg, type Sender } from './fixtures/metaPayloads.ts';
import { ACCESS_TOKEN, captureLogs, startWhatsAppStack, type CapturedLogs, type WhatsAppStack } from './whatsAppStack.ts';

/** Graph API errors on sending, answered by the emulator: what is retried, how, and what is logged. */
let stack: WhatsAppStack;
let logs: CapturedLogs;
afterEach(async () => stack?.close());

const ANA: Sender = { waId: '5215512345678', name: 'Ana López' };
const TO = '525512345678';
const hola = (timestamp?: string) => delivery(messagesValue([ANA], [msg.text(ANA.waId, 'hola', timestamp ? { timestamp } : {})]));
const start = async (options: Parameters<typeof startWhatsAppStack>[0] = {}) => {
  logs = captureLogs();
  stack = await startWhatsAppStack({ logger: logs.logger, ...options });
};
const logged = (message: string) => logs.lines().filter((l) => l.msg === message);

describe('sending through the Graph API', () => {
  it.each([
    [130429, 'throughput'],
    [500, '5xx'],
    [503, '5xx'],
  ] as const)('%s (%s) is retried with backoff and the reply still arrives', async (code, _kind) => {
    await start();
    stack.graph.failNext(code, 2);
    await stack.deliver(hola());
    expect(stack.graph.sentTo(TO)).toHaveLength(1);
    expect(stack.graph.refused).toHaveLength(2);
    const retries = logged('WhatsApp send failed, retrying');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2]);
    expect(retries[1]!.delayMs as number).toBeGreaterThanOrEqual(retries[0]!.delayMs as number / 2);
  });

  it('131056 (pair rate limit) is retried more slowly', async () => {
    await start();
    stack.graph.failNext(131056, 1);
    await stack.deliver(hola());
    expect(stack.graph.sentTo(TO)).toHaveLength(1);
    const [retry] = logged('WhatsApp send failed, retrying');
    expect(retry).toMatchObject({ code: 131056, attempt: 1 });
    // TEST_RETRY: slowBaseMs 20 vs baseMs 5 (production: 4 s vs 0.5 s), with jitter down to half.
    expect(retry!.delayMs as number).toBeGreaterThanOrEqual(10);
  });

  it('another 4xx (131026 undeliverable) is not retried and is logged with its code', async () => {
    await start();
    stack.graph.failNext(131026, 1);
    await stack.deliver(hola());
    expect(stack.graph.sentTo(TO)).toHaveLength(0);
    expect(stack.graph.refused).toHaveLength(1);
    expect(logged('WhatsApp message not sent')).toEqual([expect.objectContaining({ level: 50, code: 131026, attempts: 1, status: 400 })]);
  });

  it('a Graph API that keeps failing is given up after the configured attempts, with a clear error', async () => {
    await start();
    stack.graph.failNext(500, 10);
    await stack.deliver(hola());
    expect(stack.graph.refused).toHaveLength(4);
    expect(logged('WhatsApp message not sent')).toEqual([expect.objectContaining({ code: 1, attempts: 4, status: 500 })]);
  });

  it('131047 from the API: without a template the unsent replies are logged as not sendable', async () => {
    await start();
    stack.graph.failNext(131047, 1);
    await stack.deliver(hola());
    expect(stack.graph.sentTo(TO)).toHaveLength(0);
    expect(logged('replies not sendable: the 24-hour window is closed and no whatsapp.templates.customerReopen template is configured')).toHaveLength(1);
  });

  it('131047 from the API: with customerReopen configured the invitation template goes out', async () => {
    await start({ tweak: (c) => void (c.whatsapp.templates.customerReopen = 'seguimiento'), graphOptions: { templates: { seguimiento: 0 } } });
    stack.graph.failNext(131047, 1);
    await stack.deliver(hola());
    expect(stack.graph.sentTo(TO).map((m) => m.body)).toEqual([
      expect.objectContaining({ type: 'template', template: { name: 'seguimiento', language: { code: 'es_MX' } } }),
    ]);
  });

  it('a message first delivered more than 24 h late gets no free-form reply (window closed), and says so', async () => {
    await start();
    const lateSeconds = Math.floor(Date.now() / 1000) - 25 * 3600;
    await stack.deliver(hola(String(lateSeconds)));
    expect(stack.channel.metrics.turns).toBe(1);
    expect(stack.graph.sent).toEqual([]);
    expect(logged('replies not sendable: the 24-hour window is closed and no whatsapp.templates.customerReopen template is configured')).toHaveLength(1);
  });

  it("the channel's logs mask phone numbers and never hold the access token", async () => {
    await start();
    stack.graph.failNext(131026, 1);
    await stack.deliver(hola());
    expect(logs.text()).not.toContain(ACCESS_TOKEN);
    // Lines of the WhatsApp channel (the gateway's own `turnKey` is outside this adapter).
    const mine = JSON.stringify(logs.lines().filter((l) => l.channel === 'whatsapp'));
    expect(mine).toContain('********5678');
    expect(mine).not.toMatch(/5512345678/);
  });
});
