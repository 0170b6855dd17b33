/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distance: for each point, a = mean
 * distance to its own cluster, b = the smallest mean distance to another cluster, s = (b − a)/max(a, b);
 * a point alone in its cluster scores 0. O(n²): callers sample large sets.
 */
export function silhouette(points: readonly number[][], labels: readonly number[]): number {
  const n = points.length;
  const k = Math.max(...labels) + 1;
  if (n < 2 || k < 2) return 0;
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) sizes[l]! += 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Array<number>(k).fill(0);
    const p = points[i]!;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = points[j]!;
      let d = 0;
      for (let f = 0; f < p.length; f++) d += (p[f]! - q[f]!) ** 2;
      sums[labels[j]!]! += Math.sqrt(d);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    total += b === Infinity ? 0 : (b - a) / Math.max(a, b);
  }
  return total / n;
}
