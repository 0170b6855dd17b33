import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';

/** The real launcher, as an operator runs it, against the emulator: `--mode telegram` and `--mode auto`. */
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const launcher = join(repo, 'bin/launcher.mjs');
const ana: TgUser = { id: 4242, first_name: 'Ana', last_name: 'López' };

let emu: TelegramEmulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await emu?.close();
  emu = undefined;
  child = undefined;
});

function startLauncher(mode: string, env: Record<string, string>): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [launcher, '--mode', mode], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: mkdtempSync(join(tmpdir(), 'isp-tg-')), MESSAGING_HOST: '127.0.0.1', MESSAGING_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { child: proc, stderr: () => stderr, exited };
}

describe('launcher with Telegram', () => {
  for (const mode of ['telegram', 'auto']) {
    it(`--mode ${mode} serves Telegram by long polling and stops cleanly on SIGTERM`, async () => {
      emu = await TelegramEmulator.start();
      const run = startLauncher(mode, { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, LOG_LEVEL: 'info' });
      child = run.child;
      emu.openChat(ana);
      const current = emu;
      // The first /start may arrive before the bot polls: it is queued like on Telegram.
      current.sendText(ana, '/start');
      const greeting = await current.waitFor(() => current.botMessagesIn(ana.id)[0], 'the greeting', 45_000);
      expect(greeting.message.text).toMatch(/¡Hola Ana!/);
      expect(greeting.message.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('Contratar internet');
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toContain('telegram channel started');
      expect(run.stderr()).not.toContain(current.token.split(':')[1]);
    }, 60_000);
  }
});
