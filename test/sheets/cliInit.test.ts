/**
 * The launcher as an ISP runs it against its Google Sheet (here the emulator): `sheets init` and
 * `--mode status` (the launcher itself, as a child process). The status line's other cases are
 * checked in-process (faster).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { startSheetsFixture, type SheetsFixture } from './support.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const launcher = join(repo, 'bin/launcher.mjs');

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], { cwd: repo, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sheetEnv = (id: string, dataDir = mkdtempSync(join(tmpdir(), 'cli-sheets-'))) => ({
  GOOGLE_SHEETS_ID: id,
  GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(fx.account.json),
  SHEETS_API_ROOT: fx.emulator.url,
  DATA_DIR: dataDir,
});

describe('launcher sheets init and status', () => {
  it('sheets init prepares an empty spreadsheet; status then shows it reachable with every tab', async () => {
    const id = fx.sheet({ Clientes: [['ID', 'Nombre', 'Celular']] });
    const env = sheetEnv(id);
    const before = await run(['--mode', 'status'], env);
    expect(before.stdout).toMatch(/^Google Sheets\s+configured, reachable\s+"Hoja del ISP" \(\d+ ms\): tabs Clientes lacks Zona \(required\), Incidentes MISSING, Prospectos MISSING — `launcher sheets init` adds what is missing; outbox empty$/m);

    const init = await run(['sheets', 'init'], env);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created tab Incidentes');
    expect(init.stdout).toContain('Clientes: added headers Zona, Colonia');
    expect(fx.emulator.spreadsheet(id).text('Incidentes')).toEqual([tabHeaders('Incidentes')]);

    const after = await run(['--mode', 'status'], env);
    expect(after.stdout).toMatch(/^Google Sheets\s+configured, reachable\s+.*tabs Clientes ok, Incidentes ok, Prospectos ok; outbox empty$/m);
  }, 40_000);

  it('sheets init without credentials names the variables to set', async () => {
    const noCreds = await run(['sheets', 'init'], { GOOGLE_SHEETS_ID: 'x', DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-sheets-')) });
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
  }, 40_000);
});
