/**
 * Segments: RFM rows standardised (z-scores), k-means (`ml-kmeans`, k-means++ with a seed) for
 * k = 2..6, the k with the best mean silhouette kept, and each cluster named by its centroid.
 */
import { kmeans } from 'ml-kmeans';
import { seededRandom } from '../../data/random.ts';
import { RFM_FEATURES, type RfmRow } from './rfm.ts';
import { silhouette } from './silhouette.ts';

export const SEGMENT_NAMES = ['Champions', 'Leales', 'En riesgo', 'Nuevos', 'Hibernando', 'Ocasionales'] as const;
export type SegmentName = (typeof SEGMENT_NAMES)[number];

export interface Segment {
  name: SegmentName;
  size: number;
  /** Mean of each RFM feature (original units) plus tenure. */
  centroid: Record<(typeof RFM_FEATURES)[number] | 'tenureMonths', number>;
}

export interface Segmentation {
  k: number;
  silhouette: number;
  /** Silhouette per k tried. */
  tried: { k: number; silhouette: number }[];
  segments: Segment[];
  /** Segment index per row (same order as the input rows). */
  labels: number[];
  /** The standardised matrix (rows × features), for plotting. */
  standardised: number[][];
}

export function standardise(matrix: readonly number[][]): number[][] {
  const d = matrix[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => matrix.reduce((s, r) => s + r[j]!, 0) / matrix.length);
  const sds = Array.from({ length: d }, (_, j) => Math.sqrt(matrix.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / matrix.length) || 1);
  return matrix.map((r) => r.map((v, j) => (v - means[j]!) / sds[j]!));
}

const SAMPLE = 800;

/** Names each cluster by its standardised centroid: the best-fitting still unused name, greedily. */
export function nameClusters(z: readonly number[][]): SegmentName[] {
  // z columns: recency, frequency, price, ltv (standardised). High recency = long without contact.
  const fit = (c: readonly number[], name: SegmentName): number => {
    const [r = 0, f = 0, p = 0, l = 0] = c;
    switch (name) {
      case 'Champions': return -r + p + l;
      case 'Leales': return l - Math.abs(r) - Math.abs(f) * 0.5;
      case 'En riesgo': return f + r * 0.3 - p * 0.2;
      case 'Nuevos': return -l * 1.5 - r;
      case 'Hibernando': return r - f;
      case 'Ocasionales': return -Math.abs(r) - Math.abs(f) - Math.abs(p) - Math.abs(l);
    }
  };
  const pairs = z.flatMap((c, i) => SEGMENT_NAMES.map((name) => ({ i, name, s: fit(c, name) }))).sort((a, b) => b.s - a.s);
  const out = new Array<SegmentName | undefined>(z.length);
  const used = new Set<SegmentName>();
  for (const p of pairs) {
    if (out[p.i] || used.has(p.name)) continue;
    out[p.i] = p.name;
    used.add(p.name);
  }
  return out as SegmentName[];
}

export function segmentCustomers(rows: readonly RfmRow[], options: { seed?: number; kMin?: number; kMax?: number } = {}): Segmentation {
  const seed = options.seed ?? 42;
  const raw = rows.map((r) => RFM_FEATURES.map((f) => r[f]));
  const z = standardise(raw);
  const kMax = Math.min(options.kMax ?? 6, rows.length - 1);
  if (kMax < 2) throw new Error(`segmentation needs at least 3 customers, got ${rows.length}`);
  // Silhouette is O(n²): score a seeded sample when there are many customers.
  const rng = seededRandom(seed);
  const sampleIdx = rows.length <= SAMPLE ? rows.map((_, i) => i) : Array.from({ length: SAMPLE }, () => rng.int(0, rows.length - 1));
  const tried: { k: number; silhouette: number }[] = [];
  let best: { k: number; s: number; labels: number[]; centroids: number[][] } | undefined;
  for (let k = options.kMin ?? 2; k <= kMax; k++) {
    const result = kmeans(z, k, { seed, initialization: 'kmeans++', maxIterations: 200 });
    const s = silhouette(sampleIdx.map((i) => z[i]!), sampleIdx.map((i) => result.clusters[i]!));
    tried.push({ k, silhouette: Math.round(s * 1000) / 1000 });
    if (!best || s > best.s + 1e-9) best = { k, s, labels: result.clusters, centroids: result.centroids };
  }
  const chosen = best!;
  const names = nameClusters(chosen.centroids);
  const segments: Segment[] = chosen.centroids.map((_, c) => {
    const members = rows.filter((_, i) => chosen.labels[i] === c);
    const avg = (f: keyof RfmRow) => (members.length ? members.reduce((s, m) => s + (m[f] as number), 0) / members.length : 0);
    return {
      name: names[c]!,
      size: members.length,
      centroid: { recencyDays: avg('recencyDays'), frequency: avg('frequency'), monthlyPrice: avg('monthlyPrice'), lifetimeValue: avg('lifetimeValue'), tenureMonths: avg('tenureMonths') },
    };
  });
  return { k: chosen.k, silhouette: chosen.s, tried, segments, labels: chosen.labels, standardised: z };
}
