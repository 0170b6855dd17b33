import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.ts';
import { checkTelegram } from '../../../src/cli/status/telegram.ts';
import { TelegramEmulator, TEST_TOKEN } from '../../emulators/telegram/index.ts';

/** `launcher --mode status`, Telegram line: getMe through grammY with a 2.5 s limit. */
let emu: TelegramEmulator;
let silent: Server;
let silentRoot = '';

beforeAll(async () => {
  emu = await TelegramEmulator.start();
  // Accepts connections and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentRoot = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emu.close();
  silent.closeAllConnections();
  await new Promise<void>((r) => silent.close(() => r()));
});

const check = (vars: Record<string, string>) => checkTelegram(parseEnv(vars));

describe('telegram status check', () => {
  it('shows the bot username; a trailing slash on TELEGRAM_API_ROOT is fine', async () => {
    for (const root of [emu.apiRoot, `${emu.apiRoot}/`]) {
      const s = await check({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: root });
      expect(s).toMatchObject({ configured: true, reachable: true, detail: 'bot @conecta_isp_bot', channel: true });
    }
  });

  it('reports a rejected token, a refused connection and a silent server, never the token', async () => {
    const wrongToken = '987654:WrongTokenWrongTokenWrongToken';
    const rejected = await check({ TELEGRAM_BOT_TOKEN: wrongToken, TELEGRAM_API_ROOT: emu.apiRoot });
    expect(rejected).toMatchObject({ reachable: false, detail: 'HTTP 401: Unauthorized' });
    const refused = await check({ TELEGRAM_BOT_TOKEN: wrongToken, TELEGRAM_API_ROOT: 'http://127.0.0.1:1' });
    expect(refused).toMatchObject({ reachable: false, detail: 'unreachable (ECONNREFUSED)' });
    const mute = await check({ TELEGRAM_BOT_TOKEN: wrongToken, TELEGRAM_API_ROOT: silentRoot });
    expect(mute).toMatchObject({ reachable: false, detail: 'unreachable (no answer in 2.5 s)' });
    for (const s of [rejected, refused, mute]) expect(JSON.stringify(s)).not.toContain('WrongToken');
  });

  it('not configured without a token', async () => {
    expect(await check({})).toMatchObject({ configured: false, detail: 'not configured' });
  });
});
