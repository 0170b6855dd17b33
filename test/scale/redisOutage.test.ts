import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { recipient, startScaleStack, waId, type ScaleStack } from './scaleStack.ts';

/** A private redis-server we can kill and restart on the same port (the shared one stays untouched). */
const PORT = 16_379 + Math.floor(Math.random() * 1000);
let redis: ChildProcess | undefined;
let stack: ScaleStack | undefined;
afterEach(async () => {
  redis?.kill('SIGKILL');
  await stack?.close();
  stack = undefined;
});

const listening = (): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createConnection(PORT, '127.0.0.1', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (const deadline = Date.now() + 10_000; !(await listening()); ) {
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopRedis(): Promise<void> {
  const proc = redis!;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
}

describe('Redis unavailable', () => {
  it('webhooks answer 503 fast and /readyz names the state store; everything resumes when Redis returns', async () => {
    await startRedis();
    const kv = createRedisKeyValue(`redis://127.0.0.1:${PORT}`);
    stack = await startScaleStack({ kv });
    expect(await stack.send(waId(1), 'hola')).toBe(200);
    await stack.graph.waitForSent(1, { to: recipient(waId(1)), timeoutMs: 10_000 });

    await stopRedis();
    const started = Date.now();
    expect(await stack.send(waId(2), 'hola')).toBe(503); // Meta delivers again later
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the 2 s state timeout, not a hang
    const notReady = await fetch(`${stack.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ok: false, checks: { state: expect.stringMatching(/no answer/), whatsapp: 'ok' } });

    await startRedis();
    // Meta's redelivery of the same message after Redis is back: answered and replied.
    for (const deadline = Date.now() + 20_000; (await fetch(`${stack.baseUrl}/readyz`)).status !== 200; ) {
      if (Date.now() > deadline) throw new Error('not ready again after Redis returned');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stack.send(waId(2), 'hola')).toBe(200);
    await stack.graph.waitForSent(1, { to: recipient(waId(2)), timeoutMs: 10_000 });
  }, 60_000);
});
