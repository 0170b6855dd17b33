/** The churn model over ChurnFeatures: Naive Bayes when there is enough history, the rules otherwise. */
import type { ChurnFeatures } from './features.ts';
import { fitNaiveBayes, predictNaiveBayes, type Example, type NaiveBayesModel } from './naiveBayes.ts';
import { ruleScore } from './rules.ts';

export type ChurnModel = NaiveBayesModel | { kind: 'rules' };

const CONTINUOUS = ['logTickets', 'logAlta', 'logOverdueDays', 'logTenure', 'logOutages'];
const BINARY = ['cancelRequest', 'planChange', 'overdue'];

/** Counts are skewed: log1p makes the Gaussian assumption less wrong. */
export function toModelInput(f: ChurnFeatures): Record<string, number> {
  return {
    logTickets: Math.log1p(f.ticketsLast90),
    logAlta: Math.log1p(f.altaLast90),
    logOverdueDays: Math.log1p(f.overdueDays),
    logTenure: Math.log1p(f.tenureMonths),
    logOutages: Math.log1p(f.massOutages90),
    cancelRequest: f.cancelOrHumano > 0 ? 1 : 0,
    planChange: f.planChanges > 0 ? 1 : 0,
    overdue: f.overdueDays > 0 ? 1 : 0,
  };
}

export function fitChurnModel(rows: readonly { f: ChurnFeatures; y: 0 | 1 }[]): NaiveBayesModel {
  const examples: Example[] = rows.map((r) => ({ x: toModelInput(r.f), y: r.y }));
  return fitNaiveBayes(examples, CONTINUOUS, BINARY);
}

export function churnScore(model: ChurnModel, f: ChurnFeatures): number {
  return model.kind === 'rules' ? ruleScore(f) : predictNaiveBayes(model, toModelInput(f));
}
