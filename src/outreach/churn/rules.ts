/**
 * The rule-based churn score used while the history has too few cancelled customers to learn from:
 * points for each warning sign, squashed to 0–1. The weights are a judgement call, written here so
 * staff can read them: a cancellation or hand-off request weighs most, then long overdue balances,
 * recent high-priority faults, mass outages and a short tenure.
 */
import type { ChurnFeatures } from './features.ts';

export function ruleScore(f: ChurnFeatures): number {
  const points =
    (f.cancelOrHumano > 0 ? 2 : 0) +
    (f.overdueDays > 30 ? 1.5 : f.overdueDays > 7 ? 0.75 : 0) +
    Math.min(f.ticketsLast90, 4) * 0.35 +
    Math.min(f.altaLast90, 3) * 0.4 +
    Math.min(f.massOutages90, 3) * 0.3 +
    (f.tenureMonths < 3 ? 0.5 : 0) +
    (f.planChanges > 0 ? 0.25 : 0);
  // 0 points → 0.05; 2.5 points → ~0.5; 5+ → ~0.95.
  return 1 / (1 + Math.exp(-(points - 2.5) * 1.2));
}
