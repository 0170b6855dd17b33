import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../config/env.ts';
import { openLocalStore } from '../../sheets/local/localStore.ts';
import type { ComponentStatus } from './componentStatus.ts';

export async function checkLocalStore(env: Env): Promise<ComponentStatus> {
  const base = { name: 'Local store', enabledBy: 'DATA_DIR (default ./data)', channel: false };
  const file = join(env.DATA_DIR, 'isp.db');
  try {
    mkdirSync(env.DATA_DIR, { recursive: true });
    accessSync(env.DATA_DIR, constants.W_OK);
    if (!existsSync(file)) return { ...base, configured: true, reachable: true, detail: `${file} (empty; \`launcher data demo\` fills it)` };
    const store = openLocalStore({ file });
    try {
      const [c, i, p] = await Promise.all([store.listCustomers(), store.listIncidents(), store.listProspects()]);
      return { ...base, configured: true, reachable: true, detail: `${file}: ${c.length} clientes, ${i.length} incidentes, ${p.length} prospectos` };
    } finally {
      await store.close();
    }
  } catch (err) {
    return { ...base, configured: true, reachable: false, detail: `${file}: ${(err as Error).message}` };
  }
}
