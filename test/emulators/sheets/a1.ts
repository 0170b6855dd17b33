/**
 * A1 notation as the Sheets API v4 reads it: `Sheet1!A1:C5`, `'Mis datos'!A:A`, `Hoja!1:1`,
 * `Hoja!A2:Z` (open-ended rows), `Hoja` (the whole sheet). Zero-based, end-exclusive bounds.
 */
export interface GridRange {
  sheet: string;
  startRow: number;
  /** Exclusive; Infinity = to the end of the grid. */
  endRow: number;
  startCol: number;
  endCol: number;
}

export class RangeError400 extends Error {}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function quoteSheet(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

/** Splits `'It''s'!A1:B2` into the sheet title and the cell part (undefined = whole sheet). */
export function splitRange(range: string): { sheet: string | undefined; cells: string | undefined } {
  const text = range.trim();
  if (text.startsWith("'")) {
    let i = 1;
    let title = '';
    for (; i < text.length; i++) {
      if (text[i] === "'" && text[i + 1] === "'") {
        title += "'";
        i++;
      } else if (text[i] === "'") break;
      else title += text[i];
    }
    const rest = text.slice(i + 1);
    if (rest === '') return { sheet: title, cells: undefined };
    if (!rest.startsWith('!')) throw new RangeError400(`Unable to parse range: ${range}`);
    return { sheet: title, cells: rest.slice(1) };
  }
  const bang = text.lastIndexOf('!');
  if (bang < 0) return { sheet: undefined, cells: text };
  return { sheet: text.slice(0, bang), cells: text.slice(bang + 1) };
}

const CELL = /^([A-Za-z]{0,3})(\d*)$/;

/** Parses the cell part; `undefined` = the whole sheet. */
export function parseCells(cells: string | undefined, original: string): Omit<GridRange, 'sheet'> {
  if (cells === undefined) return { startRow: 0, endRow: Infinity, startCol: 0, endCol: Infinity };
  const [a = '', b] = cells.split(':');
  const ma = CELL.exec(a);
  const mb = b === undefined ? ma : CELL.exec(b);
  if (!ma || !mb || (ma[1] === '' && ma[2] === '') || cells.split(':').length > 2) throw new RangeError400(`Unable to parse range: ${original}`);
  const col = (m: RegExpExecArray, fallback: number) => (m[1] ? columnIndex(m[1]) : fallback);
  const row = (m: RegExpExecArray, fallback: number) => (m[2] ? Number(m[2]) - 1 : fallback);
  const startCol = col(ma, 0);
  const startRow = row(ma, 0);
  const endCol = b === undefined && ma[1] ? startCol + 1 : col(mb, Infinity - 1) + 1;
  const endRow = b === undefined && ma[2] ? startRow + 1 : row(mb, Infinity - 1) + 1;
  if (startRow < 0 || endRow <= startRow || endCol <= startCol) throw new RangeError400(`Unable to parse range: ${original}`);
  return { startRow, endRow, startCol, endCol };
}

/** A range on one of `titles`; a bare name that is a sheet title means the whole sheet. */
export function parseRange(range: string, titles: readonly string[]): GridRange {
  const { sheet, cells } = splitRange(range);
  if (sheet === undefined) {
    if (titles.includes(range.trim())) return { sheet: range.trim(), ...parseCells(undefined, range) };
    const first = titles[0];
    if (!first) throw new RangeError400(`Unable to parse range: ${range}`);
    return { sheet: first, ...parseCells(cells, range) };
  }
  if (!titles.includes(sheet)) throw new RangeError400(`Unable to parse range: ${range}`);
  return { sheet, ...parseCells(cells, range) };
}

/** `'Mis datos'!A1:C3` for a range clipped to a grid. */
export function formatRange(r: GridRange, rowCount: number, colCount: number): string {
  const endRow = Math.min(r.endRow, rowCount);
  const endCol = Math.min(r.endCol, colCount);
  return `${quoteSheet(r.sheet)}!${columnLetters(r.startCol)}${r.startRow + 1}:${columnLetters(Math.max(endCol - 1, r.startCol))}${Math.max(endRow, r.startRow + 1)}`;
}
