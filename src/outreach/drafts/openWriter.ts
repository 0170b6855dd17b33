/** The message writer for this environment: Gemini (checked, template fallback) when GEMINI_API_KEY is set, else the templates. */
import type { Logger } from 'pino';
import { createGeminiClient, type ModelClient } from '../../agent/gemini/client.ts';
import type { Env } from '../../config/env.ts';
import type { Messages } from '../../config/messages.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { createGeminiWriter, templateWriter, type MessageWriter } from './writeMessage.ts';

export interface WriterDeps {
  env: Env;
  config: IspConfig;
  msg: Messages;
  kv: KeyValueStore;
  clock: () => Date;
  logger: Logger;
  /** Tests inject a client; default: the SDK client from the environment. */
  client?: ModelClient;
}

export function openMessageWriter(deps: WriterDeps): MessageWriter {
  const { env } = deps;
  if (!deps.client && !env.GEMINI_API_KEY) return templateWriter;
  const log = deps.logger.child({ component: 'outreach-writer' });
  const client =
    deps.client ??
    createGeminiClient({
      apiKey: env.GEMINI_API_KEY!,
      model: env.GEMINI_MODEL,
      ...(env.GEMINI_BASE_URL ? { baseUrl: env.GEMINI_BASE_URL } : {}),
      config: deps.config.gemini,
      onRetry: (f, attempt, delayMs) => log.warn({ kind: f.kind, status: f.status, reason: f.reason, attempt, delayMs }, 'gemini request failed; retrying'),
    });
  return createGeminiWriter({ config: deps.config, msg: deps.msg, kv: deps.kv, clock: deps.clock, client, logger: deps.logger });
}
