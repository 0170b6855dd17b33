/** A1 notation for the ranges we send: quoted tab titles, column letters, one-row and one-column ranges. */

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Always quoted, so titles with spaces, accents or `!` are safe: `'Mis clientes'`. */
export function quoteTitle(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** The whole tab. */
export const tabRange = (title: string): string => quoteTitle(title);

/** Row `row` (1-based) from column `fromCol` to `toCol` (0-based, inclusive). */
export const rowRange = (title: string, row: number, fromCol: number, toCol = fromCol): string =>
  `${quoteTitle(title)}!${columnLetter(fromCol)}${row}:${columnLetter(toCol)}${row}`;

/** A whole column (0-based index). */
export const columnRange = (title: string, col: number): string => `${quoteTitle(title)}!${columnLetter(col)}:${columnLetter(col)}`;

/** The header row. */
export const headerRange = (title: string): string => `${quoteTitle(title)}!1:1`;
