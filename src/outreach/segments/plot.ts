/**
 * The segment scatter for staff: the standardised RFM matrix projected to 2-D with PCA (`ml-pca`),
 * drawn as SVG and rendered to PNG with resvg. The legend's text needs a font file: we look for one
 * at run time (DejaVu/Liberation/Noto in the usual places, or OUTREACH_FONT_FILE); without one the
 * legend is drawn as coloured swatches with the segment sizes as bars, and the PNG is still written.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { PCA } from 'ml-pca';
import type { Segmentation } from './cluster.ts';

const COLORS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02'];
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

export function findFontFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.OUTREACH_FONT_FILE, ...FONT_CANDIDATES].filter((f): f is string => !!f);
  return candidates.find((f) => existsSync(f));
}

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function project2d(matrix: number[][]): number[][] {
  if (matrix.length < 3) return matrix.map((r) => [r[0] ?? 0, r[1] ?? 0]);
  const pca = new PCA(matrix);
  return pca.predict(matrix, { nComponents: 2 }).to2DArray();
}

export function segmentsSvg(seg: Segmentation, options: { withText: boolean; width?: number; height?: number }): string {
  const width = options.width ?? 900;
  const height = options.height ?? 600;
  const plot = { x: 40, y: 40, w: width - 300, h: height - 80 };
  const xy = project2d(seg.standardised);
  const xs = xy.map((p) => p[0]!);
  const ys = xy.map((p) => p[1]!);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => plot.x + ((v - minX) / (maxX - minX || 1)) * plot.w;
  const sy = (v: number) => plot.y + plot.h - ((v - minY) / (maxY - minY || 1)) * plot.h;
  const dots = xy
    .map((p, i) => `<circle cx="${sx(p[0]!).toFixed(1)}" cy="${sy(p[1]!).toFixed(1)}" r="3.5" fill="${COLORS[seg.labels[i]! % COLORS.length]}" fill-opacity="0.75"/>`)
    .join('');
  const maxSize = Math.max(...seg.segments.map((s) => s.size), 1);
  const legend = seg.segments
    .map((s, c) => {
      const y = plot.y + 10 + c * 40;
      const swatch = `<rect x="${width - 240}" y="${y}" width="18" height="18" fill="${COLORS[c % COLORS.length]}"/>`;
      const label = options.withText
        ? `<text x="${width - 212}" y="${y + 14}" font-size="15" font-family="sans-serif" fill="#222">${escapeXml(`${s.name} (${s.size})`)}</text>`
        : `<rect x="${width - 212}" y="${y + 4}" width="${Math.max(2, (s.size / maxSize) * 180).toFixed(1)}" height="10" fill="${COLORS[c % COLORS.length]}" fill-opacity="0.4"/>`;
      return swatch + label;
    })
    .join('');
  const title = options.withText
    ? `<text x="${plot.x}" y="26" font-size="17" font-family="sans-serif" fill="#222">${escapeXml(`Segmentos de clientes (k = ${seg.k}, silueta ${seg.silhouette.toFixed(2)}; PCA 2-D)`)}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/><rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#ccc"/>${title}${dots}${legend}</svg>`;
}

/** PNG bytes of the scatter; `fontFile` null = no text at all (swatches and bars). */
export function renderSegmentsPng(seg: Segmentation, fontFile: string | null | undefined = findFontFile()): Buffer {
  const svg = segmentsSvg(seg, { withText: !!fontFile });
  const resvg = new Resvg(svg, {
    font: fontFile ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'sans-serif' } : { loadSystemFonts: false },
  });
  return resvg.render().asPng();
}
