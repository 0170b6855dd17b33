/** Binary classifier metrics and a seeded stratified split (pure). */
import { seededRandom } from '../../data/random.ts';

/** Area under the ROC curve by the rank (Mann–Whitney) formula; ties count half. NaN with one class only. */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const pos: number[] = [];
  const neg: number[] = [];
  scores.forEach((s, i) => (labels[i] === 1 ? pos : neg).push(s));
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  const all = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => a.s - b.s);
  let rankSumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.y === 1) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

export function precisionRecall(scores: readonly number[], labels: readonly (0 | 1)[], threshold: number): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const predicted = s >= threshold;
    if (predicted && labels[i] === 1) tp++;
    else if (predicted) fp++;
    else if (labels[i] === 1) fn++;
  });
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0 };
}

/** Stratified split: `testShare` of each class goes to the test set, chosen by a seeded shuffle. */
export function stratifiedSplit<T extends { y: 0 | 1 }>(rows: readonly T[], testShare: number, seed: number): { train: T[]; test: T[] } {
  const rng = seededRandom(seed);
  const train: T[] = [];
  const test: T[] = [];
  for (const cls of [0, 1] as const) {
    const group = rows.filter((r) => r.y === cls);
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    const cut = Math.round(group.length * testShare);
    test.push(...group.slice(0, cut));
    train.push(...group.slice(cut));
  }
  return { train, test };
}
