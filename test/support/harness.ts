import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp, type App } from '../../src/app.ts';
import { createChatSession, type ChatReply, type ChatUser } from '../../src/channels/console/chatSession.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { loadMessages } from '../../src/config/messages.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import type { Notifier } from '../../src/notify/notifier.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const shippedConfig = (): IspConfig => loadConfig(root('config/isp.yaml'));

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
  set(date: Date): void;
}

export function testClock(start = new Date('2026-03-10T16:00:00Z')): TestClock {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms), set: (d) => void (t = d.getTime()) };
}

export interface TestChat {
  /** Sends a line (see ChatSession.send) and returns the bot's replies. */
  say(line: string): Promise<ChatReply[]>;
  /** Presses a quick reply by id. */
  press(id: string): Promise<ChatReply[]>;
  /** All reply texts of the last turn joined by newlines. */
  lastText(): string;
  last(): ChatReply[];
}

export interface Harness {
  app: App;
  clock: TestClock;
  config: IspConfig;
  chat(who: ChatUser): TestChat;
  close(): Promise<void>;
}

/**
 * A whole app on an in-memory local store and in-memory state, driven through the same chat
 * entry point the CLI uses. `customers` are loaded first; `tweak` may edit the config.
 */
export async function startHarness(
  options: { customers?: Customer[]; tweak?: (c: IspConfig) => void; clock?: TestClock; alertChannels?: Notifier[] } = {},
): Promise<Harness> {
  const config = shippedConfig();
  options.tweak?.(config);
  const clock = options.clock ?? testClock();
  const store = openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases, clock: clock.now });
  if (options.customers?.length) await store.upsertCustomers(options.customers);
  const kv = createMemoryKeyValue(() => clock.now().getTime());
  const app = await createApp({
    config,
    env: parseEnv({ DATA_DIR: '/nonexistent' }),
    logger: pino({ level: 'silent' }),
    messages: loadMessages(root('config/messages')),
    store,
    kv,
    clock: clock.now,
    ...(options.alertChannels ? { alertChannels: options.alertChannels } : {}),
  });
  return {
    app,
    clock,
    config,
    chat(who) {
      const session = createChatSession(app.gateway, who, clock.now);
      let last: ChatReply[] = [];
      const say = async (line: string): Promise<ChatReply[]> => (last = await session.send(line));
      return {
        say,
        press: (id) => say(`#button ${id}`),
        last: () => last,
        lastText: () => last.map((r) => r.text).join('\n'),
      };
    },
    close: () => app.close(),
  };
}

/** A customer row for tests, with sensible defaults. */
export function customer(over: Partial<Customer> & Pick<Customer, 'id' | 'name' | 'phone'>): Customer {
  return { zone: 'Norte', planMbps: 50, price: 450, status: 'activo', signupDate: '2024-01-15', dueDate: '2026-03-15', balance: 0, ...over };
}
