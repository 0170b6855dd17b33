import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLauncher } from '../support/launcher.ts';

describe('launcher --mode whatsapp on a port that is taken', () => {
  it('exits 1 with a message that names the address and MESSAGING_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'port-')), LOG_LEVEL: 'warn', MESSAGING_HOST: '127.0.0.1', MESSAGING_PORT: String(port), WHATSAPP_ACCESS_TOKEN: 'T', WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_APP_SECRET: 'S', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9' };
      const error = await startLauncher(['--mode', 'whatsapp'], env, { port }).then(() => undefined, (err: Error) => err);
      expect(error?.message).toContain('launcher exited with 1');
      expect(error?.message).toContain(`127.0.0.1:${port} is already in use`);
      expect(error?.message).toContain('MESSAGING_PORT');
    } finally {
      taken.close();
    }
  }, 60_000);
});
