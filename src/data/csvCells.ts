/**
 * Formula-injection guard for CSV files. A spreadsheet opening a CSV runs any cell that starts
 * with `=`, `+`, `-` or `@` (also tab / carriage return) as a formula, so on CSV export only such a
 * cell gets one leading single quote `'` (spreadsheets show it as text); the stores keep the text
 * unchanged. Plain numbers (`-150`, `+52`) are left alone — they are not formulas. A cell that
 * already starts with `'` followed by one of those characters is quoted too, so that
 * `unguardCell(guardCell(x)) === x` for every x and CSV import restores the exact text.
 */
const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

function needsGuard(text: string): boolean {
  return (TRIGGER.test(text) && !PLAIN_NUMBER.test(text)) || /^'[=+\-@\t\r]/.test(text);
}

export function guardCell(text: string): string {
  return needsGuard(text) ? `'${text}` : text;
}

export function unguardCell(text: string): string {
  return text.startsWith("'") && needsGuard(text.slice(1)) ? text.slice(1) : text;
}
