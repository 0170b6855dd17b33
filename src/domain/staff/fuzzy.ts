/**
 * Small, dependency-free fuzzy matching for people's names as staff type them: accents and case
 * ignored (callers pass folded text), one or two typos per word, word prefixes ("hern" → Hernández)
 * and common Spanish spelling confusions (s/z/c, b/v, ll/y, silent h).
 */

/** Optimal-string-alignment Damerau–Levenshtein distance (adjacent swaps cost 1). */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/** A rough Spanish sound key of a folded word: "hernandez" and "ernandes" share one. */
export function phoneticKey(word: string): string {
  return word
    .replace(/ch/g, 'x')
    .replace(/h/g, '')
    .replace(/qu/g, 'k')
    .replace(/c([ei])/g, 's$1')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/v/g, 'b')
    .replace(/ll/g, 'y')
    .replace(/gu([ei])/g, 'g$1')
    .replace(/(.)\1+/g, '$1');
}

/** Typos allowed for a query word of this length. */
export const maxEdits = (length: number): number => (length <= 3 ? 0 : length <= 7 ? 1 : 2);

/** How well one query word matches one name word, 0 (no match) … 1 (same word). */
export function tokenScore(query: string, name: string): number {
  if (!query || !name) return 0;
  if (query === name) return 1;
  if (name.startsWith(query)) return 0.9;
  let best = 0;
  const qKey = phoneticKey(query);
  const nKey = phoneticKey(name);
  if (query.length >= 3 && qKey === nKey) best = 0.85;
  else if (query.length >= 3 && qKey.length >= 3 && nKey.startsWith(qKey)) best = 0.75;
  const allowed = maxEdits(query.length);
  if (allowed > 0) {
    const d = damerauLevenshtein(query, name);
    if (d <= allowed) best = Math.max(best, 0.8 - 0.1 * (d - 1));
    // A typo inside a prefix: "hernnad" for "hernandez".
    else if (query.length >= 4 && name.length > query.length && damerauLevenshtein(query, name.slice(0, query.length)) <= 1) {
      best = Math.max(best, 0.6);
    }
  }
  return best;
}

/**
 * Every query word must match a different word of the name; the score is the mean of the
 * word scores (0 when some query word matches nothing).
 */
export function nameScore(queryTokens: readonly string[], nameTokens: readonly string[]): number {
  if (!queryTokens.length) return 0;
  const used = new Set<number>();
  let total = 0;
  // Longer words first: they are the most telling and must not lose their match to an initial.
  const ordered = [...queryTokens].sort((a, b) => b.length - a.length);
  for (const q of ordered) {
    let bestScore = 0;
    let bestIndex = -1;
    nameTokens.forEach((n, i) => {
      if (used.has(i)) return;
      const s = tokenScore(q, n);
      if (s > bestScore) {
        bestScore = s;
        bestIndex = i;
      }
    });
    if (bestIndex < 0) return 0;
    used.add(bestIndex);
    total += bestScore;
  }
  return total / queryTokens.length;
}
