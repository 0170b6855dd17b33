import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toFunctionDeclaration } from '../../src/agent/gemini/functionDeclarations.ts';
import { checkGrounding } from '../../src/agent/gemini/grounding.ts';
import { recall, remember } from '../../src/agent/gemini/memory.ts';
import { costUsd, createSpendLedger } from '../../src/agent/gemini/spend.ts';
import { buildSystemInstruction } from '../../src/agent/gemini/systemInstruction.ts';
import { TOOL_DECLARATIONS } from '../../src/agent/tools/index.ts';
import { emptySession, type Actor } from '../../src/core/types.ts';
import { createRedisKeyValue } from '../../src/state/redisKeyValue.ts';
import { ispConfig } from '../domain/domainDeps.ts';
import { validateGenerateContent } from '../emulators/gemini/wireFormat.ts';

const config = ispConfig();
const ana: Actor = { role: 'customer', key: 'whatsapp:5215598760001', customerId: 'C-0001', phone: '525598760001', name: 'Ana López' };
const facts = (toolResponses: unknown[] = [], userText = '') => ({ config, toolResponses, userText, actor: ana });

describe('grounding check', () => {
  it('accepts configured prices and amounts that came from tools', () => {
    expect(checkGrounding('El plan Plus de 50 Mbps cuesta $450 al mes y el Ultra $600.', facts())).toEqual({ ok: true });
    expect(checkGrounding('Tu adeudo es de $1,234.50 pesos.', facts([{ balance: 1234.5 }]))).toEqual({ ok: true });
    expect(checkGrounding('Tienes 2 reportes abiertos; el plan es de 50 megas.', facts())).toEqual({ ok: true });
  });

  it('rejects an amount that is neither configured nor from a tool, even when the person typed it', () => {
    expect(checkGrounding('Sí, el de 100 megas cuesta $300.', facts([], 'me dijeron que 300 pesos'))).toEqual({ ok: false, reason: 'price', found: ['$300'] });
    expect(checkGrounding('Son 499 pesos al mes.', facts())).toMatchObject({ ok: false, reason: 'price' });
    expect(checkGrounding('Cuesta 1,250 MXN.', facts())).toMatchObject({ ok: false, reason: 'price' });
  });

  it('rejects phone or account numbers that nobody in the conversation gave', () => {
    expect(checkGrounding('Su teléfono es 55 1234 0100.', facts())).toMatchObject({ ok: false, reason: 'personal_data' });
    expect(checkGrounding('Te marcamos al 55 9876 0001.', facts())).toEqual({ ok: true }); // the actor's own
    expect(checkGrounding('Deposita a la CLABE 012180001234567891.', facts([{ bank: { clabe: '012180001234567891' } }]))).toEqual({ ok: true });
    expect(checkGrounding('Anoté el 33 1111 2222 que me diste.', facts([], 'mi otro cel es 33 1111 2222'))).toEqual({ ok: true });
  });
});

describe('function declarations', () => {
  it('are generated from every tool’s zod schema and pass the API’s checks', () => {
    const functionDeclarations = TOOL_DECLARATIONS.map(toFunctionDeclaration);
    const body = { contents: [{ role: 'user', parts: [{ text: 'hola' }] }], tools: [{ functionDeclarations }] };
    expect(validateGenerateContent(body)).toMatchObject({ ok: true });
    for (const d of functionDeclarations) {
      expect(d.description!.length).toBeGreaterThan(20);
      if (d.parametersJsonSchema) expect(d.parametersJsonSchema).not.toHaveProperty('$schema');
    }
    const falla = functionDeclarations.find((d) => d.name === 'create_falla_ticket');
    expect(falla?.parametersJsonSchema).toMatchObject({
      type: 'object',
      required: ['category', 'description'],
      properties: { category: { enum: ['sin_internet', 'lento', 'intermitente', 'otro'] } },
    });
  });
});

describe('system instruction', () => {
  it('carries the ISP’s name and tone, the actor and the grounding rules, without emojis when they are off', () => {
    const quiet = ispConfig();
    quiet.isp.emojis = false;
    const text = buildSystemInstruction(quiet, ana, 'whatsapp', new Date('2026-03-10T16:00:00Z'));
    expect(text).toContain('Conecta Internet');
    expect(text).toContain(quiet.gemini.tone);
    expect(text).toContain('WhatsApp');
    expect(text).toContain('Un cliente identificado (Ana)');
    expect(text).toContain('sin emojis');
    expect(text).toContain('800 caracteres');
  });
});

describe('conversation memory', () => {
  const turn = (n: number) => [
    { role: 'user', parts: [{ text: `mensaje ${n}` }] },
    { role: 'model', parts: [{ functionCall: { name: 'get_plans', args: {} } }] },
    { role: 'user', parts: [{ functionResponse: { name: 'get_plans', response: { big: 'x'.repeat(5000) } } }] },
    { role: 'model', parts: [{ text: 'pensando…', thought: true }, { text: `respuesta ${n}` }] },
  ];

  it('keeps the last N turns with their calls and results, trimmed, for the same identity only', () => {
    const session = emptySession(0);
    for (let n = 1; n <= 4; n++) remember(session, ana, turn(n), n, 3);
    const contents = recall(session, ana);
    expect(contents).toHaveLength(12);
    expect(contents[0]!.parts![0]!.text).toBe('mensaje 2');
    expect(JSON.stringify(contents[2]!.parts![0]!.functionResponse!.response).length).toBeLessThan(2100);
    expect(contents[3]!.parts).toEqual([{ text: 'respuesta 2' }]);
    // Another identity in the same chat (a contact shared, a role changed) starts with no memory.
    expect(recall(session, { ...ana, role: 'prospect', customerId: undefined as never })).toEqual([]);
    // A hand-edited or older session is ignored, not trusted.
    expect(recall({ ...session, gemini: { owner: 'customer:C-0001', turns: [{ at: 1, contents: [{ role: 'system' }] }] } }, ana)).toEqual([]);
  });
});

describe('daily spend ledger', () => {
  it('prices tokens with the configured list price', () => {
    expect(costUsd({ input: 0.3, output: 2.5 }, 1_000_000, 100_000)).toBeCloseTo(0.55, 10);
  });

  it('adds concurrent costs from two instances on Redis without losing any', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `test:gemini:${randomUUID()}:`;
    const a = createRedisKeyValue(url, { keyPrefix: prefix });
    const b = createRedisKeyValue(url, { keyPrefix: prefix });
    const now = () => new Date('2026-03-10T05:30:00Z'); // still 9 March in Mexico City
    try {
      const one = createSpendLedger(a, 'America/Mexico_City', now);
      const two = createSpendLedger(b, 'America/Mexico_City', now);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).add(0.001)));
      expect(await one.today()).toEqual({ day: '2026-03-09', usd: 0.02 });
      expect(await two.today()).toEqual({ day: '2026-03-09', usd: 0.02 });
    } finally {
      await a.delete('gemini:spend:2026-03-09');
      await Promise.all([a.close(), b.close()]);
    }
  });
});
