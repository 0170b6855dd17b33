/**
 * Campaign messages written by Gemini (the real @google/genai SDK against the Gemini emulator):
 * checked before use — an invented price, an empty or over-long answer falls back to the es-MX
 * template with the reason stored — and the staff flow preview → approve → run through the CLI.
 */
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiClient } from '../../src/agent/gemini/client.ts';
import type { Runtime } from '../../src/cli/boot.ts';
import { runOutreachApprove, runOutreachCampaign, runOutreachPreview } from '../../src/cli/outreachCommand.ts';
import { parseEnv } from '../../src/config/env.ts';
import { planCampaign } from '../../src/outreach/campaigns/runCampaign.ts';
import { createDraftBook } from '../../src/outreach/drafts/draftBook.ts';
import { createGeminiWriter } from '../../src/outreach/drafts/writeMessage.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { openSqliteKeyValue } from '../../src/state/sqliteKeyValue.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { startGeminiEmulator, type GeminiEmulator } from '../emulators/gemini/server.ts';
import { config, customer, messages } from './support.ts';
import { tempDirs } from '../support/tempDirs.ts';

let gemini: GeminiEmulator;
const tempDir = tempDirs('outreach-approve-');
beforeAll(async () => {
  gemini = await startGeminiEmulator();
});
afterAll(async () => {
  await gemini?.close();
});

const NOON_MX = new Date('2026-05-20T18:00:00Z');
const CLEAN = 'Hola Ana 👋. Gracias por seguir con Conecta Internet: tu plan Plus de 50 Mbps sigue en $450 al mes. Si algo falla, escríbenos aquí. Para no recibir mensajes escribe BAJA.';
const INVENTED = 'Hola Beto 👋. Solo esta semana tu plan Plus baja a $199 al mes. Para no recibir mensajes escribe BAJA.';

function cfg() {
  const c = config();
  c.gemini.maxAttempts = 1;
  c.outreach.quietHours = { start: '00:00', end: '00:00' };
  c.outreach.campaigns.aviso = { description: 'Agradecer a los clientes', profiles: [], retentionOffer: false, approval: true };
  return c;
}

describe('a campaign message written by Gemini', () => {
  async function setup() {
    const c = cfg();
    const store = openLocalStore({ file: ':memory:' });
    await store.upsertCustomers([
      customer('A', { name: 'Ana López', signupDate: '2025-01-10', planMbps: 50, price: 450 }),
      customer('B', { name: 'Beto Ruiz', signupDate: '2025-01-10', planMbps: 50, price: 450 }),
    ]);
    const kv = createMemoryKeyValue();
    const deps = { config: c, msg: messages(), store, kv, clock: () => NOON_MX };
    const client = createGeminiClient({ apiKey: gemini.apiKey, model: 'gemini-2.5-flash', baseUrl: gemini.url, config: c.gemini });
    const writer = createGeminiWriter({ ...deps, client });
    const { planned } = await planCampaign(deps, { campaign: 'aviso' });
    return { planned, writer, deps };
  }

  it('uses a clean answer, with the profile prompt and the customer facts sent', async () => {
    const { planned, writer } = await setup();
    const before = gemini.requests.length;
    gemini.play({ text: CLEAN });
    const written = await writer.write(planned[0]!, { name: 'aviso', goal: 'Agradecer a los clientes' });
    expect(written).toEqual({ text: CLEAN, source: 'gemini' });
    const sent = gemini.requests[before]!.body;
    expect(JSON.stringify(sent.systemInstruction)).toMatch(/no inventes precios/);
    const prompt = sent.contents[0]!.parts[0]!.text!;
    expect(prompt).toContain('Perfil del cliente: recurrente');
    expect(prompt).toContain('"nombre": "Ana"');
    expect(prompt).toContain('"precio_mensual": "$450"');
  });

  it('rejects an invented price, an over-long and an empty answer: the template goes instead, with the reason', async () => {
    const { planned, writer } = await setup();
    const campaign = { name: 'aviso', goal: '' };
    gemini.play({ text: INVENTED }, { text: `Hola Beto. ${'Te queremos mucho. '.repeat(60)}` }, { text: '   ' });
    const invented = await writer.write(planned[1]!, campaign);
    expect(invented).toMatchObject({ source: 'template', text: planned[1]!.text, rejected: { reason: 'invented_price', detail: '$199', modelText: INVENTED } });
    expect(invented.text).toMatch(/^Hola Beto 👋\. Gracias por seguir con Conecta Internet/);
    expect(await writer.write(planned[1]!, campaign)).toMatchObject({ source: 'template', rejected: { reason: 'too_long' } });
    expect(await writer.write(planned[1]!, campaign)).toMatchObject({ source: 'template', rejected: { reason: 'empty' } });
  });

  it('a Gemini failure or the day\'s spend cap also falls back to the template', async () => {
    const { planned, writer, deps } = await setup();
    gemini.play({ error: 400, reason: 'API_KEY_INVALID' });
    expect(await writer.write(planned[0]!, { name: 'aviso', goal: '' })).toMatchObject({ source: 'template', rejected: { reason: 'gemini_failed' } });
    deps.config.gemini.dailySpendCapUsd = 0;
    const before = gemini.requests.length;
    expect(await writer.write(planned[0]!, { name: 'aviso', goal: '' })).toMatchObject({ source: 'template', rejected: { reason: 'spend_cap' } });
    expect(gemini.requests.length).toBe(before);
  });
});

describe('launcher outreach preview → approve → run (approval required)', () => {
  it('sends only approved drafts, exactly as approved; regenerate drops the approval', async () => {
    const dir = tempDir();
    const store = openLocalStore({ file: join(dir, 'isp.db') });
    await store.upsertCustomers([
      customer('A', { name: 'Ana López', signupDate: '2025-01-10', planMbps: 50, price: 450 }),
      customer('B', { name: 'Beto Ruiz', signupDate: '2025-01-10', planMbps: 50, price: 450 }),
    ]);
    await store.close();
    const runtime: Runtime = {
      env: parseEnv({ DATA_DIR: dir, MESSAGES_DIR: 'config/messages', GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }),
      config: cfg(),
      logger: pino({ level: 'silent' }),
    };
    const capture = () => {
      let text = '';
      return { write: (s: string) => ((text += s), true), text: () => text, json: () => JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown> };
    };

    const early = capture();
    await runOutreachCampaign(runtime, { campaign: 'aviso' }, early);
    expect(early.json()).toMatchObject({ targeted: 2, sent: 0, awaitingApproval: 2 });

    gemini.play({ text: CLEAN }, { text: INVENTED });
    const preview = capture();
    await runOutreachPreview(runtime, { campaign: 'aviso' }, preview);
    expect(preview.json()).toMatchObject({ targeted: 2, written: 2, gemini: 1, template: 1, rejected: 1, approved: 0, approvalRequired: true, writer: 'gemini' });
    expect(preview.text()).toContain('== recurrente (2) ==');
    expect(preview.text()).toContain(`— A Ana López · Gemini · borrador\n${CLEAN}`);
    expect(preview.text()).toMatch(/— B Beto Ruiz · plantilla \(Gemini rechazado: precio inventado — \$199\) · borrador\nHola Beto 👋\. Gracias por seguir/);

    const notYet = capture();
    await runOutreachCampaign(runtime, { campaign: 'aviso' }, notYet);
    expect(notYet.json()).toMatchObject({ sent: 0, awaitingApproval: 2 });

    const approveA = capture();
    await runOutreachApprove(runtime, { campaign: 'aviso', customer: ['A'], by: 'Lupita' }, approveA);
    expect(approveA.json()).toEqual({ campaign: 'aviso', approved: 1, drafts: 2, pendingApproval: 1 });
    const first = capture();
    await runOutreachCampaign(runtime, { campaign: 'aviso' }, first);
    expect(first.json()).toMatchObject({ sent: 1, awaitingApproval: 1 });
    expect(first.text()).toContain(`[aviso] → A `);
    expect(first.text()).toContain(CLEAN);

    // Previewing again keeps the stored drafts (no new Gemini request) and shows the approval.
    const requests = gemini.requests.length;
    const again = capture();
    await runOutreachPreview(runtime, { campaign: 'aviso' }, again);
    expect(gemini.requests.length).toBe(requests);
    expect(again.json()).toMatchObject({ written: 0, approved: 1 });
    expect(again.text()).toContain('· Gemini · aprobado por Lupita');

    // Regenerating writes new drafts; their approval is gone.
    gemini.play({ text: CLEAN }, { text: 'Hola Beto 👋. Gracias por seguir con nosotros. Para no recibir mensajes escribe BAJA.' });
    const regen = capture();
    await runOutreachPreview(runtime, { campaign: 'aviso', regenerate: true }, regen);
    expect(regen.json()).toMatchObject({ written: 2, gemini: 2, rejected: 0, approved: 0 });

    await runOutreachApprove(runtime, { campaign: 'aviso' }, capture());
    const second = capture();
    await runOutreachCampaign(runtime, { campaign: 'aviso' }, second);
    // A was sent before (once per campaign × customer); B now goes with its approved Gemini text.
    expect(second.json()).toMatchObject({ sent: 1, alreadySent: 1, awaitingApproval: 0 });
    expect(second.text()).toContain('Hola Beto 👋. Gracias por seguir con nosotros.');

    const kv = openSqliteKeyValue(join(dir, 'state.db'));
    const drafts = await createDraftBook(kv).list('aviso');
    expect(drafts.map((d) => [d.customerId, d.status, d.source])).toEqual([['A', 'approved', 'gemini'], ['B', 'approved', 'gemini']]);
    await kv.close();
  }, 60_000);
});
