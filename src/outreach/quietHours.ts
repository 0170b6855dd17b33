import { localMinutes } from './calendar.ts';

export interface QuietHours {
  start: string;
  end: string;
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** True when `now` (in `timezone`) falls in [start, end); a window whose end is before its start spans midnight. */
export function inQuietHours(now: Date, timezone: string, quiet: QuietHours): boolean {
  const t = localMinutes(now, timezone);
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}
