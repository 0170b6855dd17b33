import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLauncher, type LauncherProcess } from '../../support/launcher.ts';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/whatsapp/graphEmulator.ts';
import { metaJson, postDelivery } from '../../emulators/whatsapp/metaWebhook.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID } from './fixtures/metaPayloads.ts';
import { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN } from './whatsAppStack.ts';

/** `launcher --mode whatsapp` as a user runs it: a real process, its own port, Meta's requests over HTTP. */
let child: LauncherProcess['child'] | undefined;
let graph: GraphEmulator | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await graph?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('launcher --mode whatsapp', () => {
  it('serves the webhook, answers through the Graph API and stops cleanly on SIGTERM', async () => {
    graph = await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID });
    dataDir = mkdtempSync(join(tmpdir(), 'wa-launcher-'));
    const { child: proc, port, exited, stderr } = await startLauncher(['--mode', 'whatsapp'], {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MESSAGING_HOST: '127.0.0.1',
      MESSAGING_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_GRAPH_URL: graph.url,
    });
    child = proc;
    const url = `http://127.0.0.1:${port}/webhook`;
    const challenge = await fetch(`${url}?hub.mode=subscribe&hub.challenge=987654&hub.verify_token=${VERIFY_TOKEN}`);
    expect(await challenge.text()).toBe('987654');
    const body = metaJson(delivery(messagesValue([{ waId: '5215512345678', name: 'Ana' }], [msg.text('5215512345678', 'hola')])));
    expect((await postDelivery(url, body, { secret: APP_SECRET })).status).toBe(200);
    const [reply] = await graph.waitForSent(1, { to: '525512345678', timeoutMs: 20_000 });
    expect(reply?.type).toBe('interactive');
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).not.toContain(ACCESS_TOKEN);
    expect(stderr()).not.toContain(APP_SECRET);
  }, 60_000);
});
