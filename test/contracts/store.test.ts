/**
 * The Store contract on the local SQLite store (in memory and on a file), plus the local store's
 * crash durability: a writer killed with SIGKILL loses nothing it reported as written.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { describeStoreContract } from './storeContract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const columnAliases = loadConfig(join(here, '../../config/isp.yaml')).sheet.columnAliases;

describeStoreContract('local (:memory:)', async () => ({ store: openLocalStore({ file: ':memory:', columnAliases }) }));

describeStoreContract(
  'local (temp file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
    const file = join(dir, 'isp.db');
    return {
      store: openLocalStore({ file, columnAliases }),
      reopen: async () => openLocalStore({ file, columnAliases }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { durable: true },
);

describe('local store durability', () => {
  it('keeps every incident a SIGKILLed writer reported as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-kill-'));
    const file = join(dir, 'isp.db');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/writeIncidents.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const folios: string[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        folios.push(line.trim());
        if (folios.length === 25) {
          child.kill('SIGKILL');
          break;
        }
      }
      expect(await exited, stderr).toBe('SIGKILL');
      expect(folios).toHaveLength(25);

      const store = openLocalStore({ file });
      try {
        const stored = new Set((await store.listIncidents()).map((i) => i.folio));
        for (const folio of folios) expect(stored.has(folio), folio).toBe(true);
        const next = await store.createIncident({ type: 'pago', priority: 'media' });
        expect(stored.has(next.folio)).toBe(false);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
