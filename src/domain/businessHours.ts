import type { IspConfig } from '../config/schema.ts';

/** When a person can answer: the ISP's opening hours, computed in the ISP's timezone. Pure. */
export type BusinessHours = IspConfig['businessHours'];

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday, in the given timezone. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

export type Availability =
  | { open: true }
  /** `daysAhead` 0 = later today; `time` is the configured opening time ("09:00"). */
  | { open: false; next: { weekday: number; time: string; daysAhead: number } };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(now: Date, timezone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(part('weekday'));
  const hour = Number(part('hour')) % 24;
  return { weekday: weekday < 0 ? 0 : weekday, minutes: hour * 60 + Number(part('minute')) };
}

/** "09:00" → 540. */
export function minutesOf(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** "09:00" → "9:00", as people write it. */
export function formatClock(hhmm: string): string {
  const [h = '0', m = '00'] = hhmm.split(':');
  return `${Number(h)}:${m}`;
}

/** Open right now, or the next opening (today later, or the next business day). */
export function availability(hours: BusinessHours, now: Date): Availability {
  const { weekday, minutes } = localTime(now, hours.timezone);
  const open = minutesOf(hours.open);
  const close = minutesOf(hours.close);
  if (hours.days.includes(weekday) && minutes >= open && minutes < close) return { open: true };
  for (let d = 0; d <= 7; d++) {
    const day = (weekday + d) % 7;
    if (!hours.days.includes(day)) continue;
    if (d === 0 && minutes >= open) continue;
    return { open: false, next: { weekday: day, time: hours.open, daysAhead: d } };
  }
  return { open: false, next: { weekday, time: hours.open, daysAhead: 7 } };
}

/** Today's date (YYYY-MM-DD) in a timezone: for due dates and tenure. */
export function isoDateIn(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
