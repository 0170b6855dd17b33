/** The `--mode status` line for Google Sheets, checked in-process, and the credential errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSheets } from '../../src/cli/status/sheets.ts';
import { loadServiceAccount, SheetsConfigError } from '../../src/sheets/google/credentials.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

const statusEnv = (id: string, extra: Record<string, string> = {}) => fx.env(id, { CONFIG_FILE: 'config/isp.yaml', DATA_DIR: mkdtempSync(join(tmpdir(), 'status-')), ...extra });

describe('Google Sheets status line', () => {
  it('an unreachable API', async () => {
    const s = await checkSheets(statusEnv('x', { SHEETS_API_ROOT: 'http://127.0.0.1:9' }));
    expect(s).toMatchObject({ configured: true, reachable: false, detail: 'unreachable (ECONNREFUSED); outbox empty' });
  });

  it('a spreadsheet the service account cannot see', async () => {
    const s = await checkSheets(statusEnv('no-such-sheet'));
    expect(s.reachable).toBe(false);
    expect(s.detail).toMatch(/HTTP 404 NOT_FOUND: Requested entity was not found/);
  });

  it('reachable, with missing optional columns and the outbox backlog', async () => {
    const id = fx.sheet({ ...standardTabs(), Prospectos: [['ID', 'Fecha', 'Nombre', 'Teléfono']] });
    const env = statusEnv(id);
    const store = fx.open(id, { dataDir: env.DATA_DIR });
    fx.emulator.fail({ status: 503, times: 100, match: (r) => r.kind === 'write' && r.spreadsheetId === id });
    await store.createProspect({ name: 'Lupita', phone: '5587654321' });
    await store.flush();
    await store.close();
    const s = await checkSheets(env);
    expect(s.reachable).toBe(true);
    expect(s.detail).toMatch(/tabs Clientes ok, Incidentes ok, Prospectos ok \(no Zona, Colonia, Plan \(Mbps\), Precio, Canal, Estado, Notas\)/);
    expect(s.detail).toMatch(/outbox 1 writes pending, oldest 0 min \(last error: HTTP 503/);
  });
});

describe('service-account credentials', () => {
  it('name the variable and the problem, never the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-'));
    const bad = join(dir, 'key.json');
    writeFileSync(bad, JSON.stringify({ type: 'authorized_user', client_email: 'x@y.z', private_key: 'nope' }));
    expect(() => loadServiceAccount({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json') })).toThrow(/GOOGLE_APPLICATION_CREDENTIALS .*cannot read the key file \(ENOENT\)/);
    expect(() => loadServiceAccount({ GOOGLE_APPLICATION_CREDENTIALS: bad })).toThrow(/service_account.*PEM private key/s);
    expect(() => loadServiceAccount({ GOOGLE_SERVICE_ACCOUNT_JSON: '{not json' })).toThrow(/GOOGLE_SERVICE_ACCOUNT_JSON: not valid JSON/);
    expect(() => loadServiceAccount({})).toThrow(SheetsConfigError);
    expect(loadServiceAccount({ GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(fx.account.json) }).client_email).toBe(fx.account.json.client_email);
  });
});
