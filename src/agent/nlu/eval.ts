/**
 * NLU evaluation report: trains on corpus/train.tsv only and scores corpus/heldout.tsv.
 *   npx tsx src/agent/nlu/eval.ts          held-out report: accuracy, per-intent P/R/F1, top confusions, errors
 *   npx tsx src/agent/nlu/eval.ts --cv     5-fold cross-validation on train.tsv (for tuning; never reads held-out)
 * Always exits 0: it is a report; the regression guard (held-out accuracy ≥ 95 %) lives in nlu.test.ts.
 * Importable too: `runNluEval(argv, out)` prints the same report (for the launcher's `nlu-eval`).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus, TRAIN_URL } from './corpus.ts';
import { crossValidate, formatReport, heldoutReport } from './evaluate.ts';

export function runNluEval(argv: readonly string[] = [], out: NodeJS.WritableStream = process.stdout): void {
  try {
    const text = argv.includes('--cv')
      ? formatReport(crossValidate(loadCorpus(TRAIN_URL)), 'NLU 5-fold cross-validation on train.tsv')
      : formatReport(heldoutReport(), 'NLU held-out evaluation (train.tsv → heldout.tsv)');
    out.write(`${text}\n`);
  } catch (err) {
    out.write(`nlu eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  runNluEval(process.argv.slice(2));
  process.exitCode = 0;
}
