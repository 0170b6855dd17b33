import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLauncher, type LauncherProcess } from '../support/launcher.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from '../channels/whatsapp/fixtures/metaPayloads.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/whatsapp/graphEmulator.ts';
import { metaJson, postDelivery } from '../emulators/whatsapp/metaWebhook.ts';
import { recipient, sample, waId } from './scaleStack.ts';

/** The real launcher process: /readyz, /metrics, and SIGTERM while turns are in flight. */
const ACCESS_TOKEN = 'EAAshutdown-test-token';
const APP_SECRET = 'shutdown-app-secret-0123456789';
let child: LauncherProcess['child'] | undefined;
let graph: GraphEmulator | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await graph?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('launcher --mode whatsapp: readiness, metrics and graceful shutdown', () => {
  it('answers /readyz and /metrics, and on SIGTERM replies to every accepted message before exiting 0', async () => {
    graph = await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, throughputPerSecond: 10_000 });
    dataDir = mkdtempSync(join(tmpdir(), 'scale-launcher-'));
    const { child: proc, port, exited, stderr } = await startLauncher(['--mode', 'whatsapp'], {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MESSAGING_HOST: '127.0.0.1',
      MESSAGING_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_GRAPH_URL: graph.url,
    });
    child = proc;
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { state: 'ok', store: 'ok', whatsapp: 'ok' } });

    const post = (n: number): Promise<number> =>
      postDelivery(`${base}/webhook`, metaJson(delivery(messagesValue([{ waId: waId(n), name: 'Cliente' }], [msg.text(waId(n), 'hola')]))), { secret: APP_SECRET })
        .then((r) => r.status)
        .catch(() => 0);
    // Warm up, then check the metrics the process exports.
    expect(await post(0)).toBe(200);
    await graph.waitForSent(1, { to: recipient(waId(0)), timeoutMs: 20_000 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(sample(metrics, 'isp_turns_total', { channel: 'whatsapp' })).toBe(1);
    expect(sample(metrics, 'isp_process_resident_memory_bytes')).toBeGreaterThan(0);

    // A burst of 60 people, SIGTERM as soon as their webhooks are acknowledged (turns still running).
    const users = Array.from({ length: 60 }, (_, i) => i + 1);
    const statuses = await Promise.all(users.map(post));
    child!.kill('SIGTERM');
    const accepted = users.filter((_, i) => statuses[i] === 200);
    expect(accepted.length).toBe(60);
    // While draining, new deliveries are refused (503, Meta retries) or the port is already closed.
    for (const deadline = Date.now() + 20_000; !stderr().includes('"msg":"shutting down"') && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect([0, 503]).toContain(await post(999));
    expect(await exited).toBe(0);
    for (const n of accepted) expect(graph.sentTo(recipient(waId(n))).length, `reply to user ${n}`).toBeGreaterThanOrEqual(1);
    expect(graph.sentTo(recipient(waId(999)))).toHaveLength(0);
  }, 90_000);
});
