/** Sequential ids: incident folios `F-000001` and prospect ids `P-000001` (prefix, dash, ≥ 6 digits). */
export const FOLIO_PREFIX = 'F';
export const PROSPECT_PREFIX = 'P';

export function formatSequentialId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

/** The number in `F-000042` (42), or undefined when `id` is not of that prefix's form. */
export function sequenceNumber(prefix: string, id: string): number | undefined {
  const m = new RegExp(`^${prefix}-(\\d+)$`, 'i').exec(id.trim());
  return m ? Number(m[1]) : undefined;
}

/** The highest number among `ids` of that prefix's form; 0 when there is none. */
export function highestSequence(prefix: string, ids: readonly string[]): number {
  return ids.reduce((max, id) => Math.max(max, sequenceNumber(prefix, id) ?? 0), 0);
}
