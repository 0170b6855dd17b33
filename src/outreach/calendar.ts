/** Calendar arithmetic on ISO dates (YYYY-MM-DD) seen in the ISP's time zone; pure, no Date parsing of local strings. */

/** The calendar date of `now` in `timezone` (e.g. 2026-03-01 in Mexico City while it is already 06:00Z). */
export function localDate(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Minutes since local midnight of `now` in `timezone`. */
export function localMinutes(now: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function isIsoDate(value: string | undefined): value is string {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

const toUtc = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

export function addDays(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY);
}

/** Days in a month; `month` is 1–12. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM` shifted by `delta` months. */
export function shiftMonth(yearMonth: string, delta: number): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The due date of a day-of-month cycle in a given month: the anchor day, or the month's last day
 * when the month is shorter (31 → 30 April, 28/29 February).
 */
export function cycleDueDate(anchorDay: number, yearMonth: string): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number];
  const day = Math.min(anchorDay, daysInMonth(y, m));
  return `${yearMonth}-${String(day).padStart(2, '0')}`;
}
