import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGemini } from '../../src/cli/status/gemini.ts';
import { parseEnv } from '../../src/config/env.ts';
import { startGeminiEmulator, type GeminiEmulator } from '../emulators/gemini/server.ts';

/** `--mode status`: one clear line for Gemini, whether it is configured, reachable, or refusing the key. */

let emulator: GeminiEmulator;
beforeAll(async () => void (emulator = await startGeminiEmulator()));
afterAll(async () => emulator.close());

describe('Gemini status line', () => {
  it('says the bot runs offline without a key', async () => {
    expect(await checkGemini(parseEnv({}))).toEqual({
      name: 'Gemini',
      enabledBy: 'GEMINI_API_KEY',
      channel: false,
      configured: false,
      detail: 'not configured: the offline NLU and flows answer everything',
    });
  });

  it('checks the key and the model on the endpoint', async () => {
    const env = parseEnv({ GEMINI_API_KEY: emulator.apiKey, GEMINI_BASE_URL: emulator.url, GEMINI_MODEL: 'gemini-2.5-flash' });
    expect(await checkGemini(env)).toMatchObject({ configured: true, reachable: true, detail: `model gemini-2.5-flash at ${emulator.url}: free-form messages go to Gemini` });
  });

  it('reports a refused key with Google’s message', async () => {
    const env = parseEnv({ GEMINI_API_KEY: 'wrong-key', GEMINI_BASE_URL: emulator.url });
    const status = await checkGemini(env);
    expect(status).toMatchObject({ configured: true, reachable: false });
    expect(status.detail).toContain('HTTP 400: API key not valid');
    expect(status.detail).not.toContain('wrong-key');
  });
});
