/**
 * NLU evaluation report: trains on corpus/train.tsv only and scores corpus/heldout.tsv.
 *   npx tsx src/agent/nlu/eval.ts          held-out report
 *   npx tsx src/agent/nlu/eval.ts --cv     5-fold cross-validation on train.tsv (for tuning; never looks at held-out)
 * Always exits 0: it is a report, the regression guard lives in the vitest suite.
 */
import { crossValidate, formatReport, heldoutReport } from './evaluate.ts';
import { loadCorpus, TRAIN_URL } from './corpus.ts';

function main(): void {
  try {
    if (process.argv.includes('--cv')) {
      console.log(formatReport(crossValidate(loadCorpus(TRAIN_URL)), 'NLU 5-fold cross-validation on train.tsv'));
    } else {
      console.log(formatReport(heldoutReport(), 'NLU held-out evaluation (train.tsv → heldout.tsv)'));
    }
  } catch (err) {
    console.error('nlu eval failed:', err);
  }
  process.exitCode = 0;
}

main();
