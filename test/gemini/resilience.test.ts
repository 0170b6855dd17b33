import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spendKey } from '../../src/agent/gemini/spend.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { asAna, asProspect, functionResponses, startGeminiHarness, textOf, type GeminiHarness } from './geminiHarness.ts';

/** Gemini failing, slow, refusing, over budget or over the spend cap: the person always gets an answer. */

const harnesses: GeminiHarness[] = [];
async function start(...args: Parameters<typeof startGeminiHarness>): Promise<GeminiHarness> {
  const h = await startGeminiHarness(...args);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    expect(h.emulator.rejected).toEqual([]);
    await h.close();
  }
});

/** Out of the NLU's reach: with Gemini failing, the offline out-of-scope answer with the menu. */
const UNPLACED = 'ya es la tercera vez este mes que nos quedamos incomunicados';
const offlineAnswer = (h: GeminiHarness): string => h.app.deps.msg.t('common.outOfScope', { isp: h.app.deps.config.isp.name });

const logged = (h: GeminiHarness, msg: string) => h.logs.filter((l) => l.msg === msg);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('transient failures', () => {
  it('retries 503 twice within the turn and sends one reply', async () => {
    const h = await start();
    h.emulator.play({ error: 503 }, { error: 503 }, { text: 'Lamento la falla; ¿quieres que levante un reporte?' });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe('Lamento la falla; ¿quieres que levante un reporte?');
    expect(h.emulator.requests).toHaveLength(3);
    expect(logged(h, 'gemini request failed; retrying').map((l) => l.status)).toEqual([503, 503]);
    expect(h.app.gemini?.usage.snapshot()).toMatchObject({ requests: 3, retries: 2, fallbacks: 0, answered: 1 });
  });

  it('answers offline when Gemini is down (connection refused), within the turn budget', async () => {
    const h = await start({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const started = performance.now();
    const replies = await h.chat(asAna).say(UNPLACED);
    const ms = performance.now() - started;
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(replies[0]!.quickReplies.length).toBeGreaterThan(0);
    expect(h.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ network: 1 });
    console.info(`gemini down → offline answer in ${Math.round(ms)} ms (budget ${h.app.deps.config.gemini.turnBudgetSeconds} s)`);
  });

  it('gives up on requests that never answer when the turn budget runs out, then answers offline', async () => {
    const h = await start({ tweak: (c) => ((c.gemini.timeoutSeconds = 1), (c.gemini.turnBudgetSeconds = 2.5), (c.gemini.maxAttempts = 5)) });
    h.emulator.play({ hang: true }, { hang: true }, { hang: true }, { hang: true }, { hang: true });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    // The budget, not the attempt limit, ended it.
    expect(h.emulator.requests.length).toBeLessThan(5);
    expect(h.app.gemini?.usage.snapshot().fallbacks).toBe(1);
    expect(logged(h, 'gemini request failed; retrying').every((l) => l.kind === 'timeout')).toBe(true);
  });

  it('bounds a request by what is left of the turn budget when that is shorter than the timeout', async () => {
    const h = await start({ tweak: (c) => ((c.gemini.timeoutSeconds = 8), (c.gemini.turnBudgetSeconds = 1.2)) });
    h.emulator.play({ hang: true });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(h.emulator.requests).toHaveLength(1);
    expect(h.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ timeout: 1 });
  });

  it('does not wait for a 429 whose retry delay is longer than the turn budget', async () => {
    const h = await start();
    h.emulator.play({ error: 429, retryDelay: '40s' });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(h.emulator.requests).toHaveLength(1);
    expect(h.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ rate_limited: 1 });
  });

  it('sends the confirmation of what a tool did when the model fails afterwards', async () => {
    const h = await start();
    h.emulator.play({ functionCalls: [{ name: 'create_falla_ticket', args: { category: 'intermitente', description: UNPLACED } }] }, { error: 500 }, { error: 503 }, { error: 504 });
    const replies = await h.chat(asAna).say(UNPLACED);
    const [ticket] = await h.store.listIncidents();
    expect(textOf(replies)).toContain(ticket!.folio);
    expect(h.app.gemini?.usage.snapshot()).toMatchObject({ fallbackReasons: { server_error: 1 }, requests: 4 });
  });
});

describe('errors that are not retried', () => {
  it.each([
    [400, 'API_KEY_INVALID'],
    [403, 'SERVICE_DISABLED'],
  ] as const)('%s is logged with its reason, not retried, and the offline path answers', async (status, reason) => {
    const h = await start();
    h.emulator.play({ error: status, reason });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(h.emulator.requests).toHaveLength(1);
    const [line] = logged(h, 'gemini gave no answer; the offline path answers');
    expect(line).toMatchObject({ level: 50, kind: 'rejected', status });
    expect(String(line!.reason)).toContain(reason);
  });

  it('treats a response without text or calls as a failure', async () => {
    const h = await start();
    h.emulator.play({ raw: { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'MALFORMED_FUNCTION_CALL' }] } });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(h.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ invalid_response: 1 });
  });
});

describe('per-turn limits', () => {
  it('allows at most K tool calls, then asks for text with function calling off', async () => {
    const h = await start({ tweak: (c) => (c.gemini.maxToolCallsPerTurn = 2) });
    h.emulator.play(
      { functionCalls: [{ name: 'get_plans' }, { name: 'check_coverage', args: { place: 'Los Pinos' } }, { name: 'get_my_service' }] },
      { text: 'Tenemos cobertura en Los Pinos.' },
    );
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe('Tenemos cobertura en Los Pinos.');
    const second = h.emulator.requests[1]!;
    expect(second.body.toolConfig?.functionCallingConfig?.mode).toBe('NONE');
    expect(functionResponses(second).map((r) => r.response.error ?? 'ok')).toEqual(['ok', 'ok', 'tool_call_limit']);
  });

  it('stops calling the model once the turn’s token budget is spent', async () => {
    const h = await start({ tweak: (c) => (c.gemini.maxTokensPerTurn = 1000) });
    h.emulator.play({ functionCalls: [{ name: 'get_plans' }], usage: { promptTokenCount: 1200, candidatesTokenCount: 10 } }, { text: 'never sent' });
    const replies = await h.chat(asAna).say(UNPLACED);
    expect(textOf(replies)).toBe(offlineAnswer(h));
    expect(h.emulator.requests).toHaveLength(1);
    expect(h.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ token_budget: 1 });
  });
});

describe('cost', () => {
  it('records tokens and spend per turn, and past the daily cap only the offline path answers (across instances)', async () => {
    const kv = createMemoryKeyValue();
    // 5000 tokens in at $0.30/M + 100 out at $2.50/M = $0.00175 > the $0.001 cap.
    const tweak = (c: IspConfig): void => void (c.gemini.dailySpendCapUsd = 0.001);
    const h = await start({ kv, tweak });
    h.emulator.play({ text: 'Primera respuesta.', usage: { promptTokenCount: 5000, candidatesTokenCount: 100 } });
    expect(textOf(await h.chat(asAna).say(UNPLACED))).toBe('Primera respuesta.');
    const [turn] = logged(h, 'gemini turn');
    expect(turn).toMatchObject({ tokensIn: 5000, tokensOut: 100, costUsd: 0.00175, spendTodayUsd: 0.00175 });
    expect(await kv.get(spendKey('2026-03-10'))).toBe(1750);

    // Over the cap: no request, the offline path answers — also in another instance on the same state.
    const other = await start({ kv, tweak, emulator: h.emulator });
    for (const app of [h, other]) {
      expect(textOf(await app.chat(asProspect).say(UNPLACED))).toBe(offlineAnswer(app));
      expect(app.app.gemini?.usage.snapshot().fallbackReasons).toEqual({ spend_cap: 1 });
    }
    expect(h.emulator.requests).toHaveLength(1);
    expect(logged(h, 'gemini daily spend cap reached: offline path only until tomorrow')).toHaveLength(1);

    // A new day in Mexico City: Gemini answers again.
    h.clock.advance(24 * 3600_000);
    h.emulator.play({ text: 'Nuevo día.' });
    expect(textOf(await h.chat(asAna).say(UNPLACED))).toBe('Nuevo día.');
  });

  it('never logs the API key', async () => {
    const h = await start();
    h.emulator.play({ error: 400, reason: 'API_KEY_INVALID' });
    await h.chat(asAna).say(UNPLACED);
    expect(JSON.stringify(h.logs)).not.toContain(h.emulator.apiKey);
  });
});
