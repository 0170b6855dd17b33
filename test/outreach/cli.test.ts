import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, type Runtime } from '../../src/cli/boot.ts';
import { runDataDemo } from '../../src/cli/dataCommand.ts';
import { runOutreachCampaign, runOutreachPreview, runOutreachSegments, runOutreachTrain } from '../../src/cli/outreachCommand.ts';
import { parseEnv } from '../../src/config/env.ts';
import { config } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'outreach-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cfg = config();
// The run uses the real clock: no quiet hours, so the test passes at any hour.
cfg.outreach.quietHours = { start: '00:00', end: '00:00' };
const runtime: Runtime = { env: parseEnv({ DATA_DIR: dir, MESSAGES_DIR: 'config/messages' }), config: cfg, logger: pino({ level: 'silent' }) };
const capture = () => {
  let text = '';
  return { write: (s: string) => ((text += s), true), text: () => text };
};

describe('launcher outreach (on the demo data set)', () => {
  it('trains, segments with a PNG, previews and runs a campaign once', async () => {
    await runDataDemo(runtime, { seed: 42, customers: 300 }, capture() as never);
    const train = capture();
    await runOutreachTrain(runtime, { seed: 42 }, train);
    expect(train.text()).toMatch(/modelo: reglas/); // the demo set has too few cancelled customers
    const seg = capture();
    const png = join(dir, 'out', 'seg.png');
    await runOutreachSegments(runtime, { seed: 42, out: png }, seg);
    expect(seg.text()).toMatch(/^segmento\s+clientes/);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const preview = capture();
    await runOutreachPreview(runtime, { campaign: 'general', limit: 1 }, preview);
    expect(preview.text()).toMatch(/"dryRun":true/);
    const first = capture();
    await runOutreachCampaign(runtime, { campaign: 'general' }, first);
    const sent = JSON.parse(first.text().trim().split('\n').pop()!) as { sent: number; targeted: number };
    expect(sent.sent).toBe(sent.targeted);
    const second = capture();
    await runOutreachCampaign(runtime, { campaign: 'general' }, second);
    expect(second.text()).toMatch(/"sent":0/);
    await expect(runOutreachCampaign(runtime, { campaign: 'nope' }, capture())).rejects.toThrow(CliError);
  });
});
