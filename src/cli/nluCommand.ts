import { createInterface } from 'node:readline';
import { createNlu, type Nlu } from '../agent/nlu/index.ts';
import type { Runtime } from './boot.ts';

/** `launcher nlu ["texto"]`: one JSON object per message — {"text","intent","confidence","entities"}. */
export async function runNlu(runtime: Runtime, text: string | undefined, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { config } = runtime;
  const nlu: Nlu = await createNlu({ zones: config.zones, outsideCoverage: config.outsideCoverage, plansMbps: config.plans.map((p) => p.mbps) });
  const answer = (line: string): void => {
    const r = nlu.classify(line);
    out.write(`${JSON.stringify({ text: r.text, intent: r.intent, confidence: round(r.confidence), entities: r.entities })}\n`);
  };
  if (text !== undefined) {
    answer(text);
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) answer(line.trim());
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
