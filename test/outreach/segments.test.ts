import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/data/random.ts';
import { nameClusters, segmentCustomers } from '../../src/outreach/segments/cluster.ts';
import { findFontFile, renderSegmentsPng } from '../../src/outreach/segments/plot.ts';
import type { RfmRow } from '../../src/outreach/segments/rfm.ts';
import { rfmRows } from '../../src/outreach/segments/rfm.ts';
import { silhouette } from '../../src/outreach/segments/silhouette.ts';
import { writeSegmentsPng } from '../../src/outreach/segments/report.ts';
import { config, customer } from './support.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Three planted groups: new cheap customers, long-time premium ones, and dormant ones with many tickets. */
function plantedRows(n = 150, seed = 9): RfmRow[] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const g = i % 3;
    const tenure = g === 0 ? rng.int(0, 3) : rng.int(30, 60);
    const price = g === 1 ? 600 : 350;
    return { customerId: `C${i}`, recencyDays: g === 2 ? rng.int(200, 300) : rng.int(0, 30), frequency: g === 2 ? rng.int(6, 9) : rng.int(0, 2), monthlyPrice: price, lifetimeValue: price * tenure, tenureMonths: tenure };
  });
}

describe('silhouette', () => {
  it('is near 1 for well-separated clusters and near 0 for one blob split in two', () => {
    expect(silhouette([[0], [0.1], [10], [10.1]], [0, 0, 1, 1])).toBeGreaterThan(0.95);
    expect(silhouette([[0], [10], [0.1], [10.1]], [0, 0, 1, 1])).toBeLessThan(0);
  });
});

describe('segmentCustomers', () => {
  it('finds the planted groups, picks k by silhouette and names them', () => {
    const seg = segmentCustomers(plantedRows());
    expect(seg.k).toBe(3);
    expect(seg.tried.map((t) => t.k)).toEqual([2, 3, 4, 5, 6]);
    expect(seg.segments.map((s) => s.size).sort()).toEqual([50, 50, 50]);
    const names = seg.segments.map((s) => s.name);
    expect(new Set(names).size).toBe(3);
    const newest = seg.segments.reduce((a, b) => (a.centroid.tenureMonths < b.centroid.tenureMonths ? a : b));
    expect(newest.name).toBe('Nuevos');
    const dormant = seg.segments.reduce((a, b) => (a.centroid.recencyDays > b.centroid.recencyDays ? a : b));
    expect(['Hibernando', 'En riesgo']).toContain(dormant.name);
  });

  it('is deterministic for a seed', () => {
    const rows = plantedRows(120, 4);
    const a = segmentCustomers(rows, { seed: 3 });
    const b = segmentCustomers(rows, { seed: 3 });
    expect(b.labels).toEqual(a.labels);
    expect(b.segments).toEqual(a.segments);
  });

  it('gives every cluster a distinct name', () => {
    expect(new Set(nameClusters([[0, 0, 0, 0], [0.1, 0, 0, 0], [0, 0.1, 0, 0], [2, -1, 0, 0], [-1, 0, 2, 2], [0, 3, 0, 0]])).size).toBe(6);
  });

  it('builds RFM rows from the store shapes, leaving cancelled customers out', () => {
    const rows = rfmRows(
      config(),
      [customer('A', { signupDate: '2024-05-20', price: 450 }), customer('B', { status: 'cancelado' })],
      [{ folio: 'F1', createdAt: '2026-05-10T10:00:00Z', updatedAt: '', type: 'pago', status: 'cerrado', priority: 'baja', customerId: 'A' }],
      '2026-05-20',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId: 'A', recencyDays: 10, frequency: 1, monthlyPrice: 450 });
    expect(rows[0]!.lifetimeValue).toBeGreaterThan(450 * 23);
  });
});

describe('segments PNG', () => {
  const seg = segmentCustomers(plantedRows(90, 2));
  it('writes a valid PNG with text when a font is found', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seg-')), 'segments.png');
    writeSegmentsPng(seg, file);
    const png = readFileSync(file);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(900); // IHDR width
    expect(png.readUInt32BE(20)).toBe(600);
  });

  it('still renders without any font (legend as swatches)', () => {
    const png = renderSegmentsPng(seg, null);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(findFontFile({ OUTREACH_FONT_FILE: '/nonexistent.ttf' }) === '/nonexistent.ttf').toBe(false);
  });
});
