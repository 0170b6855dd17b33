/**
 * A small mixed Naive Bayes for two classes: Gaussian likelihoods for continuous features and
 * Bernoulli (Laplace-smoothed) for binary ones. Our own ~80 lines rather than a package: none is
 * installed, we need the Gaussian and Bernoulli parts in one model, and the fitted model must be
 * plain JSON so it can live in the KV and be read by every instance.
 */
export interface NaiveBayesModel {
  kind: 'naive_bayes';
  continuous: string[];
  binary: string[];
  /** Per class [negative, positive]. */
  logPrior: [number, number];
  mean: [number[], number[]];
  variance: [number[], number[]];
  /** P(feature = 1 | class). */
  pOne: [number[], number[]];
}

export interface Example {
  x: Record<string, number>;
  y: 0 | 1;
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);

export function fitNaiveBayes(examples: readonly Example[], continuous: string[], binary: string[]): NaiveBayesModel {
  const classes = [examples.filter((e) => e.y === 0), examples.filter((e) => e.y === 1)] as const;
  if (classes[0].length === 0 || classes[1].length === 0) throw new Error('Naive Bayes needs examples of both classes');
  // Variance floor: a share of the largest overall variance (sklearn's var_smoothing idea) keeps a constant feature finite.
  const overallVar = continuous.map((f) => {
    const v = examples.map((e) => e.x[f] ?? 0);
    const m = mean(v);
    return mean(v.map((a) => (a - m) ** 2));
  });
  const floor = Math.max(1e-6, 1e-2 * Math.max(0, ...overallVar));
  const stats = classes.map((rows) => {
    const means = continuous.map((f) => mean(rows.map((e) => e.x[f] ?? 0)));
    const variances = continuous.map((f, j) => mean(rows.map((e) => ((e.x[f] ?? 0) - means[j]!) ** 2)) + floor);
    const pOne = binary.map((f) => (rows.filter((e) => (e.x[f] ?? 0) > 0).length + 1) / (rows.length + 2));
    return { means, variances, pOne };
  });
  const n = examples.length;
  return {
    kind: 'naive_bayes',
    continuous,
    binary,
    logPrior: [Math.log(classes[0].length / n), Math.log(classes[1].length / n)],
    mean: [stats[0]!.means, stats[1]!.means],
    variance: [stats[0]!.variances, stats[1]!.variances],
    pOne: [stats[0]!.pOne, stats[1]!.pOne],
  };
}

/** P(y = 1 | x). */
export function predictNaiveBayes(model: NaiveBayesModel, x: Record<string, number>): number {
  const logLik = ([0, 1] as const).map((c) => {
    let s = model.logPrior[c];
    model.continuous.forEach((f, j) => {
      const v = model.variance[c][j]!;
      const d = (x[f] ?? 0) - model.mean[c][j]!;
      s += -0.5 * Math.log(2 * Math.PI * v) - (d * d) / (2 * v);
    });
    model.binary.forEach((f, j) => {
      const p = model.pOne[c][j]!;
      s += Math.log((x[f] ?? 0) > 0 ? p : 1 - p);
    });
    return s;
  });
  const diff = logLik[0]! - logLik[1]!;
  return 1 / (1 + Math.exp(diff));
}
