/**
 * The launcher as an ISP runs it against its Google Sheet (here the emulator): moving the local
 * store to the sheet in one command (`sheets push`), then `data export` / `data import` on the sheet.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/data/demoData.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
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

describe('launcher data commands on the sheet', () => {
  it('moves the local store to the sheet in one command; data import/export then work on the sheet', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-sheets-'));
    const local = openLocalStore({ file: join(dataDir, 'isp.db'), columnAliases: fx.config.sheet.columnAliases });
    await loadDemoData(local, fx.config, { seed: 3, customers: 40 });
    await local.close();
    const id = fx.sheet();
    const env = sheetEnv(id, dataDir);
    const push = await run(['sheets', 'push'], env);
    expect(push.code, push.stderr + push.stdout).toBe(0);
    expect(push.stdout).toMatch(/^Clientes: 40 rows to the sheet$/m);
    expect(fx.emulator.spreadsheet(id).text('Clientes')).toHaveLength(41);

    const exported = await run(['data', 'export', '--tab', 'Clientes', '--format', 'json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toHaveLength(40);

    const csv = join(dataDir, 'nuevos.csv');
    writeFileSync(csv, 'ID,Nombre completo,Celular,Zona,Mensualidad\nC-900,Nueva Clienta,55 9999 0000,Sur,$450\nC-901,Mal Precio,55 9999 0001,Sur,mucho\n');
    const imported = await run(['data', 'import', '--tab', 'Clientes', csv], env);
    expect(imported.code).toBe(3);
    expect(imported.stdout).toMatch(/imported 1 rows into Clientes/);
    expect(imported.stdout).toMatch(/row 3: Mensualidad: cantidad no válida/);
    expect(fx.emulator.spreadsheet(id).text('Clientes').find((r) => r[0] === 'C-900')?.slice(0, 4)).toEqual(['C-900', 'Nueva Clienta', '525599990000', 'Sur']);
  }, 60_000);
});
