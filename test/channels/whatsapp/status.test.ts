import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatus } from '../../../src/cli/statusCommand.ts';
import { parseEnv } from '../../../src/config/env.ts';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/whatsapp/graphEmulator.ts';
import { shippedConfig } from '../../support/harness.ts';
import { PHONE_NUMBER_ID } from './fixtures/metaPayloads.ts';
import { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN } from './whatsAppStack.ts';

/** `launcher --mode status` against the Graph emulator: the WhatsApp line. */
let graph: GraphEmulator;
let dataDir: string;
beforeAll(async () => {
  graph = await startGraphEmulator({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+52 55 1000 2000', verifiedName: 'Conecta Internet' });
  dataDir = mkdtempSync(join(tmpdir(), 'wa-status-'));
});
afterAll(async () => {
  await graph.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function statusLines(vars: Record<string, string>): Promise<{ code: number; whatsapp: string; all: string }> {
  let all = '';
  const out = new Writable({ write: (chunk, _enc, done) => void ((all += String(chunk)), done()) });
  const env = parseEnv({ DATA_DIR: dataDir, WHATSAPP_GRAPH_URL: graph.url, ...vars });
  const code = await runStatus({ env, config: shippedConfig(), logger: pino({ level: 'silent' }) }, out);
  return { code, all, whatsapp: all.split('\n').find((l) => l.startsWith('WhatsApp')) ?? '' };
}
const configured = { WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN };

describe('status: WhatsApp', () => {
  it('configured and the token accepted: phone-number id, the number, and the callback URL to paste in Meta', async () => {
    const { code, whatsapp } = await statusLines({ ...configured, MESSAGING_PORT: '5001' });
    expect(code).toBe(0);
    expect(whatsapp).toMatch(/^WhatsApp\s+configured, reachable\s+phone-number id 106540352242922 \(\+52 55 1000 2000 "Conecta Internet"\), token accepted by Graph API v21\.0;/);
    expect(whatsapp).toContain('callback URL for Meta: https://<your public host>/webhook (proxied to 0.0.0.0:5001/webhook)');
  });

  it('a public MESSAGING_HOST gives the callback URL directly', async () => {
    const { whatsapp } = await statusLines({ ...configured, MESSAGING_HOST: 'bot.conecta.mx', MESSAGING_PORT: '443' });
    expect(whatsapp).toContain('callback URL for Meta: https://bot.conecta.mx/webhook');
  });

  it('a token the Graph API refuses: UNREACHABLE with Meta’s message, never the token', async () => {
    const { code, whatsapp, all } = await statusLines({ ...configured, WHATSAPP_ACCESS_TOKEN: 'EAAG-wrong-token' });
    expect(code).toBe(1);
    expect(whatsapp).toMatch(/configured, UNREACHABLE\s+phone-number id 106540352242922: Graph API v21\.0 HTTP 401: Invalid OAuth access token/);
    expect(all).not.toContain('EAAG-wrong-token');
  });

  it('partly configured: names the missing variables', async () => {
    const { whatsapp } = await statusLines({ WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN });
    expect(whatsapp).toMatch(/not configured\s+missing WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN/);
  });
});
