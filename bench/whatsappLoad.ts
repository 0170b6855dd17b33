/**
 * The load side of the WhatsApp bench, run as a child process (`bench/whatsapp.ts` forks it) so the
 * measured server has its own event loop: the Graph API emulator that receives the replies, and the
 * virtual users that POST Meta-signed webhooks. Talks to the parent over IPC:
 * parent ← {graphUrl}; parent → {run}; parent ← {result}; parent → {close}.
 */
import { Pool } from 'undici';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from '../test/channels/whatsapp/fixtures/metaPayloads.ts';
import { startGraphEmulator } from '../test/emulators/whatsapp/graphEmulator.ts';
import { metaJson, metaSignature } from '../test/emulators/whatsapp/metaWebhook.ts';

export interface LoadRun {
  type: 'run';
  /** Webhook URLs; messages go round-robin over them (a load balancer in front of the instances). */
  urls: string[];
  secret: string;
  messages: number;
  users: number;
  /** Open loop at this many messages/s (acks only, replies awaited at the end); closed loop when absent. */
  ratePerSecond?: number;
  /** Distinct users are `userOffset + 0 … users-1` (a fresh set per run, so greetings repeat alike). */
  userOffset: number;
  /**
   * Closed loop: each virtual user writes as this many people in turn (default 1), so no person
   * exceeds the per-user flood limit while the virtual users keep the server busy.
   */
  identities?: number;
}

export interface LoadResult {
  type: 'result';
  acks: number[];
  turns: number[];
  seconds: number;
  replies: number;
  errors: number;
  /** CPU this process (load generator + emulator) used during the run (ms). */
  cpuMs: number;
}

/** One text per turn that the offline agent answers with exactly one message (so a reply closes a turn). */
const TEXTS = ['qué planes tienen', 'cuánto cuesta el plan de 50 megas', 'tienen cobertura en el centro', 'gracias'];

const send = (process.send ?? (() => false)).bind(process) as (m: unknown) => boolean;
const graph = await startGraphEmulator({ accessToken: process.env.BENCH_WA_TOKEN ?? 'EAAbench-token', phoneNumberId: PHONE_NUMBER_ID, throughputPerSecond: 1_000_000 });

// Replies per recipient; a turn is done when its recipient has one more reply than before it was sent.
const repliesTo = new Map<string, number>();
// Turns awaiting their first reply, per recipient (oldest first); a reply closes every turn it answers.
const waiters = new Map<string, { atLeast: number; done: () => void }[]>();
let scanned = 0;
function scan(): void {
  for (; scanned < graph.sent.length; scanned++) {
    const to = graph.sent[scanned]!.to;
    const n = (repliesTo.get(to) ?? 0) + 1;
    repliesTo.set(to, n);
    const list = waiters.get(to);
    while (list?.length && n >= list[0]!.atLeast) list.shift()!.done();
    if (list && !list.length) waiters.delete(to);
  }
}
/** Resolves when `to` has one more reply than it has now (the turn of the message about to be sent). */
function nextReply(to: string): Promise<void> {
  return new Promise<void>((done) => {
    const list = waiters.get(to) ?? [];
    list.push({ atLeast: (repliesTo.get(to) ?? 0) + 1 + list.length, done });
    waiters.set(to, list);
  });
}
const scanner = setInterval(scan, 1);

let rr = 0;
// Keep-alive pools (like Meta's senders): the generator spends its CPU on requests, not on fetch.
const pools = new Map<string, Pool>();
/** A signed delivery, made before the clock starts (Meta's side of the work is not the server's). */
interface Signed {
  body: string;
  signature: string;
}
const signed = (secret: string, waId: string, text: string): Signed => {
  const body = metaJson(delivery(messagesValue([{ waId, name: 'Bench' }], [msg.text(waId, text)])));
  return { body, signature: metaSignature(body, secret) };
};

async function post(urls: string[], d: Signed): Promise<{ status: number }> {
  const url = new URL(urls[rr++ % urls.length]!);
  let pool = pools.get(url.origin);
  if (!pool) pools.set(url.origin, (pool = new Pool(url.origin, { connections: 256 })));
  const res = await pool.request({ method: 'POST', path: url.pathname, body: d.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature } });
  await res.body.dump();
  return { status: res.statusCode };
}

async function run(r: LoadRun): Promise<LoadResult> {
  const acks: number[] = [];
  const turns: number[] = [];
  let errors = 0;
  const sentBefore = graph.sent.length;
  const user = (u: number) => {
    const waId = `52155${String(r.userOffset + u).padStart(8, '0')}`;
    return { waId, to: waId.replace(/^521/, '52') };
  };
  const identities = r.identities ?? 1;
  // Closed loop: what the virtual user u sends as its i-th message (who and what), signed in advance.
  const closedText = (u: number, i: number) => ({ waId: user(u + r.users * (i % identities)).waId, text: TEXTS[i % TEXTS.length]! });
  const perUser = Math.ceil((r.messages / r.users) * 1.5);
  const prepared = r.ratePerSecond
    ? Array.from({ length: r.messages }, (_, i) => signed(r.secret, user(i % r.users).waId, TEXTS[Math.floor(i / r.users) % TEXTS.length]!))
    : Array.from({ length: r.users }, (_, u) => Array.from({ length: perUser }, (_, i) => closedText(u, i)).map((m) => signed(r.secret, m.waId, m.text)));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  if (r.ratePerSecond) {
    const open = prepared as Signed[];
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < r.messages; i++) {
      const due = started + (i * 1000) / r.ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      const replied = nextReply(user(i % r.users).to);
      const t0 = performance.now();
      void replied.then(() => turns.push(performance.now() - t0));
      inflight.push(post(r.urls, open[i]!).then((res) => {
        acks.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }, () => void errors++));
    }
    await Promise.all(inflight);
    const deadline = Date.now() + 60_000;
    while (graph.sent.length - sentBefore < r.messages - errors && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
  } else {
    let next = 0;
    const closed = prepared as Signed[][];
    await Promise.all(
      Array.from({ length: r.users }, async (_, u) => {
        for (let i = 0; next < r.messages; i++) {
          const { to } = user(u + r.users * (i % identities));
          const m = closedText(u, i);
          const d = closed[u]![i] ?? signed(r.secret, m.waId, m.text);
          next++;
          const replied = nextReply(to);
          const t0 = performance.now();
          const res = await post(r.urls, d);
          acks.push(performance.now() - t0);
          if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
          await replied;
          turns.push(performance.now() - t0);
        }
      }),
    );
  }
  scan();
  const cpu = process.cpuUsage(cpuBefore);
  return { type: 'result', cpuMs: (cpu.user + cpu.system) / 1000, acks, turns, seconds: (performance.now() - started) / 1000, replies: graph.sent.length - sentBefore, errors };
}

process.on('message', (m: LoadRun | { type: 'close' }) => {
  if (m.type === 'close') {
    clearInterval(scanner);
    void graph.close().then(() => process.exit(0));
    return;
  }
  run(m).then(send, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
});
send({ type: 'graph', url: graph.url });
