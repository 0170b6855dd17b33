/** The whole app (gateway, agent, flows) on the Google Sheets store, driven through the chat entry point. */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp, type App } from '../../src/app.ts';
import { createChatSession } from '../../src/channels/console/chatSession.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadMessages } from '../../src/config/messages.ts';
import type { SheetsStore } from '../../src/sheets/google/index.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import type { SheetsFixture } from './support.ts';

const messagesDir = fileURLToPath(new URL('../../config/messages', import.meta.url));

export interface SheetsApp {
  app: App;
  store: SheetsStore;
  /** Sends lines as one user; returns all reply texts of the last line. */
  chat(user: string, phone?: string): (line: string) => Promise<string>;
}

export async function startSheetsApp(fx: SheetsFixture, spreadsheetId: string, store: SheetsStore = fx.open(spreadsheetId)): Promise<SheetsApp> {
  const app = await createApp({
    config: fx.config,
    env: parseEnv({ DATA_DIR: '/nonexistent' }),
    logger: pino({ level: 'silent' }),
    messages: loadMessages(messagesDir),
    store,
    kv: createMemoryKeyValue(),
  });
  return {
    app,
    store,
    chat(user, phone) {
      const session = createChatSession(app.gateway, { user, ...(phone ? { phone } : {}) });
      return async (line) => (await session.send(line)).map((r) => r.text).join('\n');
    },
  };
}

export const folioIn = (text: string): string | undefined => /\b(F-\d{6,})\b/.exec(text)?.[1];
export const prospectIdIn = (text: string): string | undefined => /\b(P-\d{6,})\b/.exec(text)?.[1];
