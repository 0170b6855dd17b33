import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const launcher = join(repo, 'bin/launcher.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real launcher as a user would, with a clean environment and its own DATA_DIR. */
function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const freshDataDir = (): string => mkdtempSync(join(tmpdir(), 'isp-cli-'));

describe('launcher', () => {
  let botApi: Server;
  let botApiRoot = '';

  beforeAll(async () => {
    // A minimal Bot API answering getMe, enough for the status check.
    botApi = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/getMe')) res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, username: 'conecta_test_bot' } }));
      else res.writeHead(404).end(JSON.stringify({ ok: false, description: 'Not Found' }));
    });
    await new Promise<void>((r) => botApi.listen(0, '127.0.0.1', r));
    botApiRoot = `http://127.0.0.1:${(botApi.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => botApi.close(() => r())));

  it('status: one line per component; exit 1 and the enabling variables when no channel can run', async () => {
    const r = await run(['--mode', 'status'], { env: { DATA_DIR: freshDataDir() } });
    expect(r.code).toBe(1);
    for (const name of ['Telegram', 'WhatsApp', 'Gemini', 'Google Sheets', 'Redis', 'Local store']) expect(r.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(r.stdout).toContain('TELEGRAM_BOT_TOKEN');
    expect(r.stdout).toContain('WHATSAPP_ACCESS_TOKEN');
  });

  it('status: a reachable Telegram bot is a channel that can run (exit 0); an unreachable Redis is reported, not waited on', async () => {
    const r = await run(['--mode', 'status'], {
      env: {
        DATA_DIR: freshDataDir(),
        TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
        TELEGRAM_API_ROOT: botApiRoot,
        REDIS_URL: 'redis://127.0.0.1:1',
      },
    });
    expect(r.stdout).toMatch(/^Telegram\s+configured, reachable\s+bot @conecta_test_bot/m);
    expect(r.stdout).toMatch(/^Redis\s+configured, UNREACHABLE/m);
    expect(r.stdout + r.stderr).not.toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345');
    expect(r.code).toBe(0);
  });

  it('rejects a misspelled option with a suggestion and the usage hint', async () => {
    const r = await run(['--mdoe', 'status']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown option '--mdoe'/);
    expect(r.stderr).toMatch(/--mode/);
    const bad = await run(['--mode', 'telegrm']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Allowed choices are status, auto, telegram, whatsapp, console/);
  });

  it('names every bad environment variable and exits 2', async () => {
    const r = await run(['--mode', 'status'], { env: { MESSAGING_PORT: 'cinco', REDIS_URL: 'localhost' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MESSAGING_PORT');
    expect(r.stderr).toContain('REDIS_URL');
  });

  it('auto with no channel and no terminal exits 1 with the variables to set', async () => {
    const r = await run(['--mode', 'auto'], { env: { DATA_DIR: freshDataDir() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TELEGRAM_BOT_TOKEN');
    expect(r.stderr).toContain('WHATSAPP_PHONE_NUMBER_ID');
  });

  it('nlu answers one message, or one JSON line per stdin line', async () => {
    const one = await run(['nlu', 'hola, no tengo internet desde ayer']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ text: 'hola, no tengo internet desde ayer', intent: 'falla' });
    const many = await run(['nlu'], { input: 'quiero contratar 50 megas en la zona norte\ncuales son sus planes\n' });
    const lines = many.stdout.trim().split('\n').map((l) => JSON.parse(l) as { intent: string; entities: Record<string, unknown>; confidence: number });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ intent: 'registro', entities: { zona: 'Norte', plan_mbps: 50 } });
    expect(lines[1]?.intent).toBe('planes');
    expect(typeof lines[0]?.confidence).toBe('number');
  });

  it('chat --json keeps the conversation between invocations in the same DATA_DIR', async () => {
    const env = { DATA_DIR: freshDataDir() };
    const first = await run(['chat', '--user', 'ana', '--json', '--name', 'Ana López'], { env, input: 'quiero contratar internet\n' });
    expect(first.code).toBe(0);
    const replies = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; quickReplies: { id: string }[]; intent: string; flow: string });
    expect(replies.at(-1)).toMatchObject({ intent: 'registro', flow: 'registro' });
    expect(replies.at(-1)?.quickReplies.length).toBeGreaterThan(0);
    const second = await run(['chat', '--user', 'ana', '--json'], { env, input: 'menu\n' });
    const after = JSON.parse(second.stdout.trim().split('\n')[0]!) as { text: string };
    expect(after.text).toMatch(/dejamos eso/i); // still inside the flow it started last time
  });

  it('data demo fills the store and export prints it', async () => {
    const env = { DATA_DIR: freshDataDir() };
    const demo = await run(['data', 'demo', '--customers', '120'], { env });
    expect(demo.code).toBe(0);
    const csv = await run(['data', 'export', '--tab', 'Clientes'], { env });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/Tel[eé]fono/);
    expect(lines.length).toBe(121);
    const json = await run(['data', 'export', '--tab', 'incidentes', '--format', 'json'], { env });
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
  });
});
