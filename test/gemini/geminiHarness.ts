import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp, type App } from '../../src/app.ts';
import { createChatSession, type ChatReply, type ChatUser } from '../../src/channels/console/chatSession.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadMessages } from '../../src/config/messages.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { Store } from '../../src/sheets/store.ts';
import type { KeyValueStore } from '../../src/state/keyValue.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { startGeminiEmulator, type GeminiEmulator } from '../emulators/gemini/server.ts';
import { customer, shippedConfig, testClock, type TestClock } from '../support/harness.ts';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const MODEL = 'gemini-2.5-flash';

/** A customer whose data must never reach anyone else. */
export const JUAN = customer({ id: 'C-0100', name: 'Juan Pérez Gómez', phone: '525512340100', zone: 'Sur', colonia: 'Los Pinos', balance: 1234 });
/** The customer who is chatting (console --phone). */
export const ANA = customer({ id: 'C-0001', name: 'Ana López Ruiz', phone: '525598760001', zone: 'Norte', planMbps: 50, price: 450 });

export interface GeminiHarness {
  app: App;
  emulator: GeminiEmulator;
  store: Store;
  kv: KeyValueStore;
  clock: TestClock;
  /** Every log line (JSON objects) the app wrote. */
  logs: Record<string, unknown>[];
  chat(who: ChatUser): { say(line: string): Promise<ChatReply[]> };
  close(): Promise<void>;
}

export interface GeminiHarnessOptions {
  customers?: Customer[];
  tweak?: (c: IspConfig) => void;
  /** Use this emulator (shared by apps); default: a new one, closed with the harness. */
  emulator?: GeminiEmulator;
  kv?: KeyValueStore;
  /** Point the client at this URL instead (e.g. a closed port: Gemini down). */
  baseUrl?: string;
}

/** The real app on an in-memory store and state, with Gemini's SDK pointed at the local emulator. */
export async function startGeminiHarness(options: GeminiHarnessOptions = {}): Promise<GeminiHarness> {
  const config = shippedConfig();
  // Small budgets keep failure tests short on a slow machine.
  config.gemini.timeoutSeconds = 2;
  config.gemini.turnBudgetSeconds = 6;
  options.tweak?.(config);
  const clock = testClock();
  const emulator = options.emulator ?? (await startGeminiEmulator());
  const store = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases, clock: clock.now });
  await store.upsertCustomers(options.customers ?? [ANA, JUAN]);
  const kv = options.kv ?? createMemoryKeyValue(() => clock.now().getTime());
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await createApp({
    config,
    env: parseEnv({ DATA_DIR: '/nonexistent', GEMINI_API_KEY: emulator.apiKey, GEMINI_MODEL: MODEL, GEMINI_BASE_URL: options.baseUrl ?? emulator.url }),
    logger: pino({ level: 'debug' }, sink),
    messages: loadMessages(root('config/messages')),
    store,
    kv,
    clock: clock.now,
  });
  return {
    app,
    emulator,
    store,
    kv,
    clock,
    logs,
    chat(who) {
      const session = createChatSession(app.gateway, who, clock.now);
      return { say: (line) => session.send(line) };
    },
    async close() {
      await app.close();
      if (!options.emulator) await emulator.close();
    },
  };
}

export const asAna: ChatUser = { user: 'ana', phone: ANA.phone, name: ANA.name };
export const asProspect: ChatUser = { user: 'prospecto', name: 'Luis Martínez' };
export const asStaff: ChatUser = { user: 'staff', role: 'staff', name: 'Operador' };

export const textOf = (replies: ChatReply[]): string => replies.map((r) => r.text).join('\n');

/** Names of the function declarations a request offered. */
export const offeredTools = (req: { body: { tools?: { functionDeclarations?: { name: string }[] }[] } }): string[] =>
  (req.body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []).map((d) => d.name);

/** The function responses a request carried back to the model, by function name. */
export function functionResponses(req: { body: { contents: { parts: { functionResponse?: { name: string; response: Record<string, unknown> } }[] }[] } }) {
  return req.body.contents.flatMap((c) => c.parts.flatMap((p) => (p.functionResponse ? [p.functionResponse] : [])));
}
