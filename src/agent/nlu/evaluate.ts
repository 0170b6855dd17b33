/** Held-out evaluation of the NLU: accuracy, per-intent precision/recall/F1, confusions, errors. */
import { loadConfig } from '../../config/loadConfig.ts';
import type { Example } from './classifier.ts';
import { HELDOUT_URL, loadCorpus, TRAIN_URL } from './corpus.ts';
import { createNluSync, nluOptionsFromConfig, type ClassifyDetails } from './index.ts';
import { INTENTS, type Intent, type NluOptions } from './types.ts';

export const CONFIG_URL = new URL('../../../config/isp.yaml', import.meta.url);

export interface IntentScore {
  intent: Intent;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  accuracy: number;
  total: number;
  correct: number;
  perIntent: IntentScore[];
  confusions: { expected: Intent; predicted: Intent; count: number }[];
  errors: { expected: Intent; predicted: Intent; confidence: number; text: string; rule?: string }[];
  /** Share of predictions with confidence >= 0.5, and the accuracy among them. */
  confident: { share: number; accuracy: number };
  trainMs: number;
  classifyMsAvg: number;
}

export function defaultNluOptions(): NluOptions {
  return nluOptionsFromConfig(loadConfig(CONFIG_URL.pathname));
}

interface Scored {
  ex: Example;
  r: ClassifyDetails;
}

export function evaluate(train: readonly Example[], test: readonly Example[], options: NluOptions = defaultNluOptions()): EvalReport {
  const { results, trainMs, classifyMsAvg } = run(train, test, options);
  return score(results, trainMs, classifyMsAvg);
}

function run(train: readonly Example[], test: readonly Example[], options: NluOptions): { results: Scored[]; trainMs: number; classifyMsAvg: number } {
  const t0 = performance.now();
  const nlu = createNluSync(options, train);
  const trainMs = performance.now() - t0;
  const results: Scored[] = [];
  const t1 = performance.now();
  for (const ex of test) results.push({ ex, r: nlu.classifyDetailed(ex.text) });
  return { results, trainMs, classifyMsAvg: (performance.now() - t1) / Math.max(1, test.length) };
}

/** Stratified k-fold cross-validation on the training corpus only (for tuning without touching held-out). */
export function crossValidate(examples: readonly Example[], k = 5, options: NluOptions = defaultNluOptions()): EvalReport {
  const all: Scored[] = [];
  let trainMs = 0;
  let classifyMs = 0;
  for (let f = 0; f < k; f++) {
    const out = run(
      examples.filter((_, i) => i % k !== f),
      examples.filter((_, i) => i % k === f),
      options,
    );
    all.push(...out.results);
    trainMs += out.trainMs / k;
    classifyMs += out.classifyMsAvg / k;
  }
  return score(all, trainMs, classifyMs);
}

function score(results: Scored[], trainMs: number, classifyMsAvg: number): EvalReport {
  const tp = new Map<Intent, number>();
  const predicted = new Map<Intent, number>();
  const support = new Map<Intent, number>();
  const pairs = new Map<string, number>();
  const errors: EvalReport['errors'] = [];
  let correct = 0;
  let confN = 0;
  let confOk = 0;
  for (const { ex, r } of results) {
    support.set(ex.intent, (support.get(ex.intent) ?? 0) + 1);
    predicted.set(r.intent, (predicted.get(r.intent) ?? 0) + 1);
    const ok = r.intent === ex.intent;
    if (r.confidence >= 0.5) {
      confN++;
      if (ok) confOk++;
    }
    if (ok) {
      correct++;
      tp.set(ex.intent, (tp.get(ex.intent) ?? 0) + 1);
    } else {
      const key = `${ex.intent}\t${r.intent}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
      errors.push({ expected: ex.intent, predicted: r.intent, confidence: r.confidence, text: ex.text, rule: r.debug.rule });
    }
  }
  const perIntent = INTENTS.map((intent) => {
    const t = tp.get(intent) ?? 0;
    const p = predicted.get(intent) ?? 0;
    const s = support.get(intent) ?? 0;
    const precision = p ? t / p : 0;
    const recall = s ? t / s : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support: s };
  });
  const confusions = [...pairs.entries()]
    .map(([k, count]) => {
      const [expected, predictedIntent] = k.split('\t') as [Intent, Intent];
      return { expected, predicted: predictedIntent, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted));
  errors.sort((a, b) => a.expected.localeCompare(b.expected) || a.text.localeCompare(b.text));
  const total = results.length;
  return {
    accuracy: total ? correct / total : 0,
    total,
    correct,
    perIntent,
    confusions,
    errors,
    confident: { share: total ? confN / total : 0, accuracy: confN ? confOk / confN : 0 },
    trainMs,
    classifyMsAvg,
  };
}

export function formatReport(r: EvalReport, title: string): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + ' %';
  const lines: string[] = [];
  lines.push(`${title}`);
  lines.push(`accuracy: ${pct(r.accuracy)}  (${r.correct}/${r.total})`);
  lines.push(`confidence >= 0.5 on ${pct(r.confident.share)} of messages, accuracy among them ${pct(r.confident.accuracy)}`);
  lines.push(`train: ${r.trainMs.toFixed(0)} ms, classify: ${r.classifyMsAvg.toFixed(3)} ms/message`);
  if (r.perIntent.length) {
    lines.push('', 'intent              precision  recall      f1  support');
    for (const s of r.perIntent) {
      lines.push(`${s.intent.padEnd(18)} ${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)} ${String(s.support).padStart(8)}`);
    }
    const macro = r.perIntent.reduce((a, s) => a + s.f1, 0) / r.perIntent.length;
    lines.push(`${'macro F1'.padEnd(18)} ${' '.repeat(18)} ${pct(macro)}`);
  }
  if (r.confusions.length) {
    lines.push('', 'most confused (expected -> predicted):');
    for (const c of r.confusions.slice(0, 10)) lines.push(`  ${String(c.count).padStart(3)}  ${c.expected} -> ${c.predicted}`);
  }
  if (r.errors.length) {
    lines.push('', `misclassified (${r.errors.length}):`);
    for (const e of r.errors) lines.push(`  [${e.expected} -> ${e.predicted} ${e.confidence.toFixed(2)}${e.rule ? ' ' + e.rule : ''}] ${e.text}`);
  }
  return lines.join('\n');
}

export function heldoutReport(): EvalReport {
  return evaluate(loadCorpus(TRAIN_URL), loadCorpus(HELDOUT_URL));
}
