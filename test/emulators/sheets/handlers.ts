/** Bodies of the emulator's answers (spreadsheets.get, batchUpdate, values.batchUpdate) and its request checks. */
import type { Spreadsheet } from './grid.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function requireInput(option: string | undefined): string {
  if (!option) throw new HttpError(400, "'valueInputOption' is required but not specified");
  return option;
}

export function valueRange(body: unknown): { values: unknown[][]; majorDimension: string } {
  const b = (body ?? {}) as { values?: unknown; majorDimension?: string };
  if (b.values !== undefined && (!Array.isArray(b.values) || !b.values.every(Array.isArray))) throw new HttpError(400, "Invalid value at 'data.values'");
  return { values: (b.values as unknown[][] | undefined) ?? [], majorDimension: b.majorDimension ?? 'ROWS' };
}

export function describeSpreadsheet(s: Spreadsheet): unknown {
  return {
    spreadsheetId: s.id,
    properties: { title: s.title, locale: 'es_MX', timeZone: 'America/Mexico_City' },
    sheets: s.sheets.map((sh, index) => ({
      properties: { sheetId: sh.sheetId, title: sh.title, index, sheetType: 'GRID', gridProperties: { rowCount: sh.rowCount, columnCount: sh.columnCount } },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${s.id}/edit`,
  };
}

export function structural(s: Spreadsheet, body: unknown): unknown {
  const requests = ((body ?? {}) as { requests?: unknown[] }).requests;
  if (!Array.isArray(requests) || requests.length === 0) throw new HttpError(400, 'Must specify at least one request.');
  // Validate everything first: a batchUpdate is applied all or nothing.
  requests.forEach((r, i) => {
    const req = r as { addSheet?: { properties?: { title?: string } }; appendDimension?: { sheetId?: number; dimension?: string; length?: number } };
    if (req.addSheet) {
      const title = req.addSheet.properties?.title;
      if (!title) throw new HttpError(400, `Invalid requests[${i}].addSheet: a title is required`);
      if (s.titles().includes(title)) throw new HttpError(400, `Invalid requests[${i}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`);
    } else if (req.appendDimension) {
      if (!s.sheets.some((sh) => sh.sheetId === req.appendDimension?.sheetId)) throw new HttpError(400, `Invalid requests[${i}].appendDimension: No grid with id: ${req.appendDimension.sheetId}`);
    } else throw new HttpError(400, `Invalid requests[${i}]: unsupported request kind ${Object.keys(req).join(',')}`);
  });
  const replies = requests.map((r) => {
    const req = r as { addSheet?: { properties: { title: string; gridProperties?: { rowCount?: number; columnCount?: number } } }; appendDimension?: { sheetId: number; dimension: string; length: number } };
    if (req.addSheet) {
      const sh = s.addSheet(req.addSheet.properties.title, [], req.addSheet.properties.gridProperties ?? {});
      return { addSheet: { properties: { sheetId: sh.sheetId, title: sh.title, index: s.sheets.length - 1, sheetType: 'GRID', gridProperties: { rowCount: sh.rowCount, columnCount: sh.columnCount } } } };
    }
    const d = req.appendDimension!;
    const sh = s.sheets.find((x) => x.sheetId === d.sheetId)!;
    if (d.dimension === 'COLUMNS') sh.columnCount += d.length;
    else sh.rowCount += d.length;
    return {};
  });
  return { spreadsheetId: s.id, replies };
}

export function batchUpdateValues(s: Spreadsheet, id: string, body: unknown): unknown {
  const b = (body ?? {}) as { valueInputOption?: string; data?: { range?: string; values?: unknown[][]; majorDimension?: string }[] };
  const input = requireInput(b.valueInputOption);
  const data = b.data ?? [];
  for (const d of data) {
    if (!d.range) throw new HttpError(400, "Invalid data[]: 'range' is required");
    s.range(d.range);
  }
  const responses = data.map((d) => ({ spreadsheetId: id, ...s.write(d.range!, valueRange(d).values, input, d.majorDimension) }));
  return {
    spreadsheetId: id,
    totalUpdatedRows: responses.reduce((n, r) => n + r.updatedRows, 0),
    totalUpdatedColumns: responses.reduce((n, r) => Math.max(n, r.updatedColumns), 0),
    totalUpdatedCells: responses.reduce((n, r) => n + r.updatedCells, 0),
    totalUpdatedSheets: new Set(responses.map((r) => r.updatedRange.split('!')[0])).size,
    responses,
  };
}
