/** `launcher outreach segments`: the segment table as text and the scatter PNG on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IspConfig } from '../../config/schema.ts';
import type { Store } from '../../sheets/store.ts';
import { localDate } from '../calendar.ts';
import { segmentCustomers, type Segmentation } from './cluster.ts';
import { renderSegmentsPng } from './plot.ts';
import { rfmRows, type RfmRow } from './rfm.ts';

export async function computeSegments(deps: { config: IspConfig; store: Store; clock: () => Date }, seed = 42): Promise<{ rows: RfmRow[]; seg: Segmentation }> {
  const today = localDate(deps.clock(), deps.config.isp.timezone);
  const [customers, incidents] = await Promise.all([deps.store.listCustomers(), deps.store.listIncidents()]);
  const rows = rfmRows(deps.config, customers, incidents, today);
  return { rows, seg: segmentCustomers(rows, { seed }) };
}

/** Customer id → segment name. */
export function segmentOf(rows: readonly RfmRow[], seg: Segmentation): Map<string, string> {
  return new Map(rows.map((r, i) => [r.customerId, seg.segments[seg.labels[i]!]!.name]));
}

export function segmentTable(seg: Segmentation): string {
  const head = ['segmento', 'clientes', 'recencia (días)', 'frecuencia (12 m)', 'precio mensual', 'valor de vida', 'antigüedad (meses)'];
  const body = seg.segments
    .map((s, c) => ({ s, c }))
    .sort((a, b) => b.s.size - a.s.size)
    .map(({ s }) => [s.name, String(s.size), s.centroid.recencyDays.toFixed(0), s.centroid.frequency.toFixed(1), `$${s.centroid.monthlyPrice.toFixed(0)}`, `$${s.centroid.lifetimeValue.toFixed(0)}`, s.centroid.tenureMonths.toFixed(1)]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((v, j) => (j === 0 ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ');
  const tried = seg.tried.map((t) => `k=${t.k}: ${t.silhouette.toFixed(3)}`).join(', ');
  return `${line(head)}\n${body.map(line).join('\n')}\n\nk = ${seg.k} (silueta por k: ${tried})\n`;
}

export function writeSegmentsPng(seg: Segmentation, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderSegmentsPng(seg));
}
