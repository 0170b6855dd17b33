/**
 * Two real gateway processes (`launcher --mode whatsapp`) on one Redis with the durable inbound
 * queue, WhatsApp deliveries spread over both like a load balancer would: 1,000 messages from 100
 * users → 1,000 replies, each user's turns in order, none doubled, none lost — also with one
 * process SIGKILLed halfway and with Redis restarted halfway. The sender behaves like Meta: a
 * delivery not answered 200 is delivered again (to the other instance when one is gone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from '../channels/whatsapp/fixtures/metaPayloads.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/whatsapp/graphEmulator.ts';
import { metaJson, postDelivery } from '../emulators/whatsapp/metaWebhook.ts';
import { startLauncher, type LauncherProcess } from '../support/launcher.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redisServer.ts';
import { recipient, waId } from './scaleStack.ts';

const ACCESS_TOKEN = 'EAAdurable-queue-test-token';
const APP_SECRET = 'durable-queue-app-secret-0123456789';
const USERS = 100;
const PER_USER = 10;

let redis: PrivateRedis | undefined;
let graph: GraphEmulator | undefined;
let dataDir: string | undefined;
const instances: LauncherProcess[] = [];

afterEach(async () => {
  for (const p of instances.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await graph?.close();
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  graph = undefined;
  redis = undefined;
  dataDir = undefined;
});

async function startCluster(count: number): Promise<LauncherProcess[]> {
  redis = await startPrivateRedis();
  graph = await startGraphEmulator({
    accessToken: ACCESS_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    throughputPerSecond: 100_000,
    statusWebhook: { appSecret: APP_SECRET, urls: () => instances.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => `${p.baseUrl}/webhook`) },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'durable-queue-'));
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    INBOUND_QUEUE_LOCK_MS: '2000',
    MESSAGING_HOST: '127.0.0.1',
    MESSAGING_PORT: '0',
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_GRAPH_URL: graph.url,
  };
  // One after the other: the first creates the local store, the second opens it.
  for (let i = 0; i < count; i++) instances.push(await startLauncher(['--mode', 'whatsapp'], { ...env, LOG_LEVEL: 'info' }));
  return [...instances];
}

const deliveryOf = (user: number, k: number): string => {
  const from = waId(user);
  return metaJson(delivery(messagesValue([{ waId: from, name: 'Cliente' }], [msg.text(from, `hola ${k}`, { id: `wamid.durable-${user}-${k}` })])));
};

/**
 * Each user sends its messages one after the other (the next once the previous was acknowledged),
 * users in parallel, alternating instances. Unanswered or non-200 deliveries are retried, on the
 * next live instance, until one answers 200 — as Meta does.
 */
async function sendAll(targets: () => LauncherProcess[], onAcked: (acked: number) => Promise<void> | void): Promise<{ retries: number }> {
  let acked = 0;
  let retries = 0;
  let turn = 0;
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      for (let k = 1; k <= PER_USER; k++) {
        const body = deliveryOf(u, k);
        for (let attempt = 0; ; attempt++) {
          const live = targets();
          const target = live[turn++ % live.length]!;
          const status = await postDelivery(`${target.baseUrl}/webhook`, body, { secret: APP_SECRET }).then((r) => r.status, () => 0);
          if (status === 200) break;
          retries++;
          if (attempt > 400) throw new Error(`delivery ${u}/${k} never accepted (last status ${status})`);
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
        }
        await onAcked(++acked);
      }
    }),
  );
  return { retries };
}

/** Two instances; everything sent over both, and `signal` sent to the second once half was acknowledged. */
async function sendAllSignallingHalfway(signal: NodeJS.Signals): Promise<[LauncherProcess, LauncherProcess]> {
  const [a, b] = (await startCluster(2)) as [LauncherProcess, LauncherProcess];
  let signalled = false;
  await sendAll(
    () => (signalled ? [a] : [a, b]),
    (acked) => {
      if (acked === (USERS * PER_USER) / 2 && !signalled) {
        signalled = true;
        b.child.kill(signal);
      }
    },
  );
  expect(signalled).toBe(true);
  return [a, b];
}

/** Every user got exactly PER_USER replies, and the session shows their messages in order. */
async function expectEveryReplyOnceInOrder(): Promise<void> {
  const all = Array.from({ length: USERS }, (_, u) => recipient(waId(u)));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && all.some((to) => graph!.sentTo(to).length < PER_USER)) await new Promise((resolve) => setTimeout(resolve, 100));
  // A late duplicate would arrive after the last expected reply: give it the time a takeover needs.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const counts = all.map((to) => graph!.sentTo(to).length);
  const wrong = counts.flatMap((n, u) => (n === PER_USER ? [] : [`user ${u}: ${n} replies`]));
  if (process.env.DEBUG_DURABLE) {
    for (const [u, n] of counts.entries()) {
      if (n === PER_USER) continue;
      console.log(u, graph!.sentTo(all[u]!).map((m) => `${(m.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data} @${m.at}`));
      for (const [i, p] of instances.entries()) console.log(`instance ${i}:`, p.stderr().split('\n').filter((l) => l.includes(`durable-${u}-`)).join('\n'));
    }
  }
  expect(wrong, 'users without exactly one reply per message').toEqual([]);
  expect(graph!.sent.length).toBe(USERS * PER_USER);

  const r = new Redis(redis!.url);
  try {
    const keys = await r.keys('isp:session:whatsapp:*');
    expect(keys).toHaveLength(USERS);
    for (const key of keys) {
      const session = JSON.parse((await r.get(key))!) as { history: { role: string; text: string }[] };
      const said = session.history.filter((h) => h.role === 'user').map((h) => h.text);
      if (process.env.DEBUG_DURABLE && said.join() !== Array.from({ length: PER_USER }, (_, i) => `hola ${i + 1}`).join()) {
        const u = Number(key.slice(-3));
        for (const [i, p] of instances.entries()) console.log(`instance ${i}:`, p.stderr().split('\n').filter((l) => l.includes(`durable-${u}-`)).join('\n'));
      }
      expect(said, key).toEqual(Array.from({ length: PER_USER }, (_, i) => `hola ${i + 1}`));
    }
    expect(await r.zcard('isp:q:pending'), 'nothing left pending').toBe(0);
  } finally {
    r.disconnect();
  }
}

describe('durable inbound queue: two gateway processes on one Redis', () => {
  it('1,000 messages from 100 users over both instances → 1,000 replies, in order, none doubled', async () => {
    const [a, b] = await startCluster(2);
    await sendAll(() => [a!, b!], () => undefined);
    await expectEveryReplyOnceInOrder();
    // Both instances ran turns (the work was shared).
    for (const p of [a!, b!]) {
      const metrics = await (await fetch(`${p.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/isp_turns_total\{channel="whatsapp",intent="saludo"\} [1-9]/);
      expect(metrics).toMatch(/isp_inbound_queue_waiting\{kind="redis"\} \d/);
    }
  }, 240_000);

  it('one instance SIGKILLed halfway: the other completes its turns, every message answered once', async () => {
    await sendAllSignallingHalfway('SIGKILL');
    await expectEveryReplyOnceInOrder();
  }, 240_000);

  it('one instance stopped with SIGTERM halfway (a rolling restart): it finishes what it holds, the other takes the rest', async () => {
    const [, b] = await sendAllSignallingHalfway('SIGTERM');
    expect(await b.exited).toBe(0);
    await expectEveryReplyOnceInOrder();
  }, 240_000);

  it('Redis restarted halfway: webhooks answer 503 meanwhile, then everything resumes; every message answered once', async () => {
    const [a, b] = await startCluster(2);
    let restarted: Promise<void> | undefined;
    const { retries } = await sendAll(
      () => [a!, b!],
      (acked) => {
        if (acked === (USERS * PER_USER) / 2 && !restarted) restarted = redis!.restart({ downMs: 3_000 });
      },
    );
    await restarted;
    expect(retries, 'deliveries refused while Redis was down').toBeGreaterThan(0);
    await expectEveryReplyOnceInOrder();
  }, 240_000);

  it('the same delivery posted to both instances at once → one reply', async () => {
    const [a, b] = await startCluster(2);
    const body = deliveryOf(7, 1);
    const statuses = await Promise.all([a!, b!, a!, b!].map((p) => postDelivery(`${p.baseUrl}/webhook`, body, { secret: APP_SECRET }).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    await graph!.waitForSent(1, { to: recipient(waId(7)), timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(graph!.sentTo(recipient(waId(7)))).toHaveLength(1);
  }, 120_000);
});
