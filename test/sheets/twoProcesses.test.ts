/**
 * Two gateway processes file outage tickets at the same moment on the same sheet: every folio is
 * unique and every ticket is a row — once with Redis (shared counter, outbox and quota), once
 * without (the processes share DATA_DIR: SQLite counter and outbox).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

const writer = fileURLToPath(new URL('./fixtures/gatewayWriter.ts', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_PROCESS = 12;
const ZONES = ['Centro', 'Norte', 'Sur', 'Oriente', 'Poniente'];

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

function runGateway(args: object): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`gateway exited ${code}: ${err}`))));
  });
}

async function twoGatewaysAtOnce(extraEnv: (n: number) => Record<string, string>, redisPrefix?: string): Promise<void> {
  const customers = Array.from({ length: 2 * PER_PROCESS }, (_, i) => ({ id: `C-${100 + i}`, phone: `5540${String(100000 + i).padStart(6, '0')}`, zone: ZONES[i % ZONES.length]! }));
  const rows = customers.map((c) => [c.id, `Cliente ${c.id}`, c.phone, c.zone, '', '50', '450', 'activo', '2024-01-01', '2026-03-20', '0']);
  // A folio typed by hand earlier: the counters start above it.
  const id = fx.sheet({ ...standardTabs(), Clientes: [tabHeaders('Clientes'), ...rows], Incidentes: [tabHeaders('Incidentes'), ['F-000040', '2026-03-01', '', 'pago']] });
  const args = (n: number) => ({
    env: { GOOGLE_SHEETS_ID: id, GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(fx.account.json), SHEETS_API_ROOT: fx.emulator.url, LOG_LEVEL: 'silent', ...extraEnv(n) },
    customers: customers.slice(n * PER_PROCESS, (n + 1) * PER_PROCESS),
    ...(redisPrefix ? { redisPrefix } : {}),
  });
  const [a, b] = await Promise.all([runGateway(args(0)), runGateway(args(1))]);
  const folios = [...a!, ...b!];
  expect(folios.filter((f) => !/^F-\d{6}$/.test(f))).toEqual([]);
  expect(new Set(folios).size).toBe(2 * PER_PROCESS);
  expect(folios.every((f) => Number(f.slice(2)) > 40)).toBe(true);
  const inSheet = fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => r[0]);
  expect(inSheet.filter((f) => f !== 'F-000040').sort()).toEqual([...folios].sort());
}

describe('two gateway processes writing tickets at once', () => {
  it('with Redis: unique folios, no lost row', async () => {
    const prefix = `test:two-gw:${process.pid}:${Date.now()}:`;
    try {
      await twoGatewaysAtOnce(() => ({ REDIS_URL, DATA_DIR: mkdtempSync(join(tmpdir(), 'gw-redis-')) }), prefix);
    } finally {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  }, 60_000);

  it('without Redis, sharing DATA_DIR: unique folios, no lost row', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-shared-'));
    try {
      await twoGatewaysAtOnce(() => ({ DATA_DIR: dataDir }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
