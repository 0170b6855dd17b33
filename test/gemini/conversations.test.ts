import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFallaTicket } from '../../src/agent/tools/declarations.ts';
import { startHarness } from '../support/harness.ts';
import { ANA, asAna, asProspect, functionResponses, offeredTools, startGeminiHarness, textOf, type GeminiHarness } from './geminiHarness.ts';

/**
 * Free-form conversations through the real app, the real @google/genai client and the Gemini
 * emulator: what the model was sent (declarations, system instruction, history) and what the
 * person got back.
 */

let h: GeminiHarness;
const started: GeminiHarness[] = [];
async function start(...args: Parameters<typeof startGeminiHarness>): Promise<GeminiHarness> {
  h = await startGeminiHarness(...args);
  started.push(h);
  return h;
}
afterEach(async () => {
  for (const one of started.splice(0)) {
    // Every request the client sent was valid for the API.
    expect(one.emulator.rejected).toEqual([]);
    await one.close();
  }
});

/** The message must be one the offline NLU does not place (else it never reaches Gemini). */
function expectUnplaced(text: string): void {
  const r = h.app.nlu.classify(text);
  expect(r.intent === 'fuera_de_alcance' || r.confidence < 0.35, `${text} → ${r.intent} ${r.confidence}`).toBe(true);
}

const COMPLAINT = 'ya es la tercera vez este mes que nos quedamos incomunicados';

describe('Gemini with function calling', () => {
  it('turns a free-form complaint into a falla ticket through a function call', async () => {
    await start();
    expectUnplaced(COMPLAINT);
    h.emulator.play(
      { functionCalls: [{ name: 'create_falla_ticket', args: { category: 'sin_internet', description: COMPLAINT, sinceHours: 2 } }] },
      { text: 'Lamento mucho la molestia, Ana 🙏. Ya registré tu reporte; nuestro equipo lo atenderá lo antes posible.' },
    );
    const replies = await h.chat(asAna).say(COMPLAINT);

    const [ticket, ...others] = await h.store.listIncidents();
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({ type: 'falla', category: 'sin_internet', customerId: ANA.id, priority: 'alta', description: COMPLAINT, channel: 'console' });
    // The model's words, then the ticket's confirmation with the folio (the model's text did not carry it).
    expect(textOf(replies)).toContain('Lamento mucho la molestia');
    expect(textOf(replies)).toContain(ticket!.folio);
    expect(h.app.alerts.map((a) => a.kind)).toContain('falla_alta');

    const [first, second] = h.emulator.requests;
    // Declarations offered to a customer, generated from the zod schemas; no staff tool.
    expect(offeredTools(first!)).toEqual([
      'get_plans',
      'get_payment_info',
      'check_coverage',
      'start_registration',
      'request_person',
      'get_my_service',
      'get_my_tickets',
      'create_falla_ticket',
    ]);
    const declared = first!.body.tools![0]!.functionDeclarations!.find((d) => d.name === 'create_falla_ticket');
    const { $schema: _, ...expected } = z.toJSONSchema(createFallaTicket.schema, { io: 'input' }) as Record<string, unknown>;
    expect(declared?.parametersJsonSchema).toEqual(expected);
    expect(first!.body.tools![0]!.functionDeclarations!.find((d) => d.name === 'get_plans')).not.toHaveProperty('parametersJsonSchema');
    // Grounding in the system instruction: the ISP's name and tone, prices and data only from tools.
    const system = first!.body.systemInstruction!.parts[0]!.text!;
    expect(system).toContain('Conecta Internet');
    expect(system).toContain(h.app.deps.config.gemini.tone);
    expect(system).toMatch(/salen SOLO de las herramientas/);
    expect(system).toMatch(/español de México/);
    expect(first!.body.generationConfig).toMatchObject({ maxOutputTokens: 1024, thinkingConfig: { thinkingBudget: 0 } });
    // The second request carries the call and its result.
    const roles = second!.body.contents.map((c) => c.role);
    expect(roles).toEqual(['user', 'model', 'user']);
    expect(second!.body.contents[1]!.parts[0]!.functionCall).toMatchObject({ name: 'create_falla_ticket' });
    expect(functionResponses(second!)[0]).toMatchObject({ name: 'create_falla_ticket', response: { status: 'filed', folio: ticket!.folio } });
    expect(h.emulator.pending()).toBe(0);
  });

  it('remembers its last turns, tool calls and results included, in the session', async () => {
    await start();
    h.emulator.play(
      { functionCalls: [{ name: 'create_falla_ticket', args: { category: 'sin_internet', description: COMPLAINT } }] },
      { text: 'Listo, tu reporte quedó registrado.' },
      { text: 'Normalmente en menos de 4 horas.' },
    );
    const chat = h.chat(asAna);
    await chat.say(COMPLAINT);
    const folio = (await h.store.listIncidents())[0]!.folio;
    const followUp = 'ok y como cuanto tiempo';
    expectUnplaced(followUp);
    const replies = await chat.say(followUp);
    expect(textOf(replies)).toContain('menos de 4 horas');

    const third = h.emulator.requests[2]!;
    expect(third.body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user', 'model', 'user']);
    expect(third.body.contents[0]!.parts[0]!.text).toBe(COMPLAINT);
    expect(functionResponses(third)[0]).toMatchObject({ name: 'create_falla_ticket', response: { folio } });
    expect(third.body.contents[4]!.parts[0]!.text).toBe(followUp);
  });

  it('answers a price question with the configured price even when the model says another', async () => {
    await start();
    const question = 'mi compadre dice que ustedes dan 100 megas por 300 pesos';
    expectUnplaced(question);
    h.emulator.play(
      { functionCalls: [{ name: 'get_plans', args: {} }] },
      { text: '¡Así es! El plan Ultra de 100 megas cuesta $300 al mes 😊' },
    );
    const replies = await h.chat(asProspect).say(question);
    const text = textOf(replies);
    expect(text).not.toContain('$300');
    expect(text).toContain('$600');
    expect(replies.at(-1)?.flow).toBe('planes');
    expect(h.app.gemini?.usage.snapshot().groundingRejections).toBe(1);
    // The model was given the configured prices.
    expect(functionResponses(h.emulator.requests[1]!)[0]!.response).toMatchObject({ plans: expect.arrayContaining([expect.objectContaining({ mbps: 100, monthlyPrice: 600 })]) });
  });

  it('sends a grounded price as the model wrote it', async () => {
    await start();
    h.emulator.play({ functionCalls: [{ name: 'get_plans', args: {} }] }, { text: 'El de 100 megas (Ultra) cuesta $600 al mes.' });
    const replies = await h.chat(asProspect).say('mi compadre dice que ustedes dan 100 megas por 300 pesos');
    expect(textOf(replies)).toBe('El de 100 megas (Ultra) cuesta $600 al mes.');
  });

  it('starts the registro flow through start_registration, with the zone and plan already known', async () => {
    await start();
    const text = 'quiero lo mismo que tiene mi vecina';
    expectUnplaced(text);
    h.emulator.play({ functionCalls: [{ name: 'start_registration', args: { zone: 'lomas del norte', planMbps: 50 } }] });
    const chat = h.chat(asProspect);
    const replies = await chat.say(text);
    expect(replies.at(-1)?.flow).toBe('registro');
    // The flow asks its own questions; zone and plan are not asked again.
    const next = await chat.say('sí');
    expect(next.at(-1)?.flow).toBe('registro');
    expect(textOf(next)).not.toMatch(/zona/i);
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('shapes the model’s reply like every other: emojis as configured, at most 800 characters per message', async () => {
    await start({ tweak: (c) => void (c.isp.emojis = false) });
    const long = `Entiendo tu molestia 😔. ${'Estamos revisando la red de tu zona. '.repeat(30)}`;
    h.emulator.play({ text: long });
    const replies = await h.chat(asAna).say(COMPLAINT);
    expect(h.emulator.requests[0]!.body.systemInstruction!.parts[0]!.text).toContain('sin emojis');
    expect(textOf(replies)).not.toContain('😔');
    expect(replies.length).toBeGreaterThan(1);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(800);
  });

  it('is off without GEMINI_API_KEY: the offline NLU and flows answer', async () => {
    const offline = await startHarness();
    try {
      expect(offline.app.gemini).toBeUndefined();
      const replies = await offline.chat(asAna).say(COMPLAINT);
      expect(replies.at(-1)?.text).toBe(offline.app.deps.msg.t('common.outOfScope', { isp: 'Conecta Internet' }));
    } finally {
      await offline.close();
    }
  });

  it('leaves confident intents to their flows (no model request)', async () => {
    await start();
    const replies = await h.chat(asProspect).say('cuánto cuesta el de 50 megas?');
    expect(replies.at(-1)?.flow).toBe('planes');
    expect(h.emulator.requests).toHaveLength(0);
  });
});
