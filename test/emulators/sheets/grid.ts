/**
 * The emulator's spreadsheets: sheets of cells, and the value operations of the Sheets API v4
 * (read with majorDimension / valueRenderOption, write with valueInputOption RAW or USER_ENTERED,
 * append with the "table" search and INSERT_ROWS / OVERWRITE). Also the hand edits staff make in
 * the browser (insert a row, sort), for tests.
 */
import { columnLetters, formatRange, parseRange, quoteSheet, RangeError400, type GridRange } from './a1.ts';

export type Cell = string | number | boolean | { formula: string } | null;
export type JsonValue = string | number | boolean | null;

export interface Sheet {
  sheetId: number;
  title: string;
  rows: Cell[][];
  rowCount: number;
  columnCount: number;
}

export class Spreadsheet {
  readonly sheets: Sheet[] = [];
  private nextSheetId = 1;
  constructor(
    readonly id: string,
    readonly title = 'Hoja del ISP',
  ) {}

  titles(): string[] {
    return this.sheets.map((s) => s.title);
  }

  sheet(title: string): Sheet {
    const s = this.sheets.find((x) => x.title === title);
    if (!s) throw new RangeError400(`Unable to parse range: ${quoteSheet(title)}`);
    return s;
  }

  addSheet(title: string, rows: Cell[][] = [], grid: { rowCount?: number; columnCount?: number } = {}): Sheet {
    if (this.sheets.some((s) => s.title === title)) throw new RangeError400(`Invalid requests[0].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`);
    const sheet: Sheet = {
      sheetId: this.nextSheetId++,
      title,
      rows: rows.map((r) => [...r]),
      rowCount: Math.max(grid.rowCount ?? 1000, rows.length),
      columnCount: Math.max(grid.columnCount ?? 26, ...rows.map((r) => r.length)),
    };
    this.sheets.push(sheet);
    return sheet;
  }

  range(a1: string): GridRange {
    return parseRange(a1, this.titles());
  }

  read(a1: string, options: { majorDimension?: string; valueRenderOption?: string } = {}): { range: string; majorDimension: string; values?: JsonValue[][] } {
    const r = this.range(a1);
    const sheet = this.sheet(r.sheet);
    const render = options.valueRenderOption ?? 'FORMATTED_VALUE';
    const endRow = Math.min(r.endRow, sheet.rows.length);
    const out: JsonValue[][] = [];
    for (let i = r.startRow; i < endRow; i++) {
      const row = sheet.rows[i] ?? [];
      const end = Math.min(r.endCol, row.length);
      const cells: JsonValue[] = [];
      for (let j = r.startCol; j < end; j++) cells.push(renderCell(row[j] ?? null, render));
      while (cells.length && (cells.at(-1) === '' || cells.at(-1) === null)) cells.pop();
      out.push(cells.map((c) => (c === null ? '' : c)));
    }
    while (out.length && out.at(-1)!.length === 0) out.pop();
    const majorDimension = options.majorDimension ?? 'ROWS';
    const values = majorDimension === 'COLUMNS' ? transpose(out) : out;
    const range = formatRange(r, sheet.rowCount, sheet.columnCount);
    return values.length ? { range, majorDimension, values } : { range, majorDimension };
  }

  /** values.update: null leaves a cell as it is, "" clears it. */
  write(a1: string, values: unknown[][], inputOption: string, majorDimension = 'ROWS'): { updatedRange: string; updatedRows: number; updatedColumns: number; updatedCells: number } {
    const r = this.range(a1);
    const sheet = this.sheet(r.sheet);
    const rows = majorDimension === 'COLUMNS' ? transpose(values) : values;
    const height = rows.length;
    const width = Math.max(0, ...rows.map((x) => x.length));
    if (height > r.endRow - r.startRow || width > r.endCol - r.startCol) {
      throw new RangeError400(`Requested writing within range [${a1}], but tried writing to row [${r.startRow + height}]`);
    }
    if (r.startRow + height > sheet.rowCount || r.startCol + width > sheet.columnCount) {
      throw new RangeError400(`Range (${a1}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`);
    }
    let cellsWritten = 0;
    rows.forEach((row, i) =>
      row.forEach((value, j) => {
        if (value === null || value === undefined) return;
        setCell(sheet, r.startRow + i, r.startCol + j, toCell(value, inputOption));
        cellsWritten++;
      }),
    );
    const updated: GridRange = { sheet: r.sheet, startRow: r.startRow, endRow: r.startRow + Math.max(height, 1), startCol: r.startCol, endCol: r.startCol + Math.max(width, 1) };
    return { updatedRange: formatRange(updated, Infinity, Infinity), updatedRows: height, updatedColumns: width, updatedCells: cellsWritten };
  }

  /** values.append: finds the table at the range and writes below its last row. */
  append(a1: string, values: unknown[][], inputOption: string, insertOption = 'OVERWRITE'): { tableRange?: string; updates: ReturnType<Spreadsheet['write']> } {
    const r = this.range(a1);
    const sheet = this.sheet(r.sheet);
    // The table is searched from the range's first row down, across its columns (a single cell
    // such as A1 stands for the table it belongs to).
    const colEnd = r.endCol - r.startCol <= 1 ? Infinity : r.endCol;
    const nonEmpty = (i: number) => (sheet.rows[i] ?? []).slice(r.startCol, colEnd).some((c) => c !== null && c !== '');
    let start = r.startRow;
    const limit = sheet.rows.length;
    while (start < limit && !nonEmpty(start)) start++;
    let end = start;
    while (end < limit && nonEmpty(end)) end++;
    const at = start >= limit ? r.startRow : end;
    const width = Math.max(0, ...values.map((x) => x.length));
    if (insertOption === 'INSERT_ROWS' && at < sheet.rows.length) sheet.rows.splice(at, 0, ...values.map(() => [] as Cell[]));
    sheet.rowCount = Math.max(sheet.rowCount + (insertOption === 'INSERT_ROWS' ? values.length : 0), at + values.length);
    sheet.columnCount = Math.max(sheet.columnCount, r.startCol + width);
    values.forEach((row, i) => row.forEach((value, j) => setCell(sheet, at + i, r.startCol + j, value === null || value === undefined ? null : toCell(value, inputOption))));
    const updatedRange: GridRange = { sheet: r.sheet, startRow: at, endRow: at + values.length, startCol: r.startCol, endCol: r.startCol + Math.max(width, 1) };
    const tableRange = start < end ? `${quoteSheet(r.sheet)}!${columnLetters(r.startCol)}${start + 1}:${columnLetters(r.startCol + Math.max(width, 1) - 1)}${end}` : undefined;
    return {
      ...(tableRange ? { tableRange } : {}),
      updates: { updatedRange: formatRange(updatedRange, Infinity, Infinity), updatedRows: values.length, updatedColumns: width, updatedCells: values.reduce((n, row) => n + row.length, 0) },
    };
  }

  // --- What staff do by hand in the browser (tests) ---

  /** Inserts an empty (or given) row so that it becomes row `rowNumber` (1-based). */
  insertRow(title: string, rowNumber: number, cells: Cell[] = []): void {
    const sheet = this.sheet(title);
    while (sheet.rows.length < rowNumber - 1) sheet.rows.push([]);
    sheet.rows.splice(rowNumber - 1, 0, [...cells]);
    sheet.rowCount++;
  }

  /** Sorts the data rows (row 2 on) by a column, as "Ordenar hoja A→Z" does. */
  sortRows(title: string, column: number, descending = false): void {
    const sheet = this.sheet(title);
    const [header = [], ...data] = sheet.rows;
    const key = (row: Cell[]) => String(renderCell(row[column] ?? null, 'FORMATTED_VALUE') ?? '');
    data.sort((a, b) => key(a).localeCompare(key(b)) * (descending ? -1 : 1));
    sheet.rows = [header, ...data];
  }

  /** The sheet as text, trailing empties removed (assertions). */
  text(title: string): string[][] {
    return (this.read(quoteSheet(title)).values ?? []).map((row) => row.map((c) => String(c ?? '')));
  }
}

function setCell(sheet: Sheet, row: number, col: number, cell: Cell): void {
  while (sheet.rows.length <= row) sheet.rows.push([]);
  const r = sheet.rows[row]!;
  while (r.length <= col) r.push(null);
  r[col] = cell === '' ? null : cell;
}

/** RAW stores strings as typed; USER_ENTERED parses numbers, booleans and formulas as the UI would. */
export function toCell(value: unknown, inputOption: string): Cell {
  if (inputOption !== 'RAW' && inputOption !== 'USER_ENTERED') throw new RangeError400(`Invalid value at 'value_input_option' (${inputOption})`);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') throw new RangeError400(`Invalid values: ${JSON.stringify(value)} is not a string, number or boolean`);
  if (inputOption === 'RAW') return value;
  if (value.startsWith("'")) return value.slice(1);
  if (value.startsWith('=')) return { formula: value };
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (/^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return value;
}

function renderCell(cell: Cell, render: string): JsonValue {
  if (cell === null) return '';
  if (typeof cell === 'object') return render === 'FORMULA' ? cell.formula : '#ERROR!';
  if (render === 'UNFORMATTED_VALUE' || render === 'FORMULA') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell);
}

function transpose<T>(rows: T[][]): T[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, j) => rows.map((r) => r[j] as T));
}
