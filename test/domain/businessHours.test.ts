import { describe, expect, it } from 'vitest';
import { availability, formatClock, isoDateIn, localTime } from '../../src/domain/businessHours.ts';

const hours = { timezone: 'America/Mexico_City', days: [1, 2, 3, 4, 5, 6], open: '09:00', close: '19:00' };
// Mexico City is UTC-6 all year (no DST since 2022).
const at = (iso: string): Date => new Date(iso);

describe('localTime', () => {
  it('reads weekday and minutes in the ISP timezone', () => {
    expect(localTime(at('2026-03-10T17:00:00Z'), hours.timezone)).toEqual({ weekday: 2, minutes: 11 * 60 });
    // 03:00 UTC Wednesday is still Tuesday 21:00 in Mexico City.
    expect(localTime(at('2026-03-11T03:00:00Z'), hours.timezone)).toEqual({ weekday: 2, minutes: 21 * 60 });
  });
});

describe('availability', () => {
  it('is open on a Tuesday at 11:00', () => {
    expect(availability(hours, at('2026-03-10T17:00:00Z'))).toEqual({ open: true });
  });

  it('on Sunday the next opening is Monday at 9:00', () => {
    expect(availability(hours, at('2026-03-08T18:00:00Z'))).toEqual({ open: false, next: { weekday: 1, time: '09:00', daysAhead: 1 } });
  });

  it('after close on Saturday skips Sunday: Monday at 9:00', () => {
    expect(availability(hours, at('2026-03-15T01:30:00Z'))).toEqual({ open: false, next: { weekday: 1, time: '09:00', daysAhead: 2 } });
  });

  it('after close on a weekday opens the next morning', () => {
    expect(availability(hours, at('2026-03-11T01:00:00Z'))).toEqual({ open: false, next: { weekday: 3, time: '09:00', daysAhead: 1 } });
  });

  it('closing time itself is closed; before opening it opens later today', () => {
    expect(availability(hours, at('2026-03-14T01:00:00Z')).open).toBe(false); // Friday 19:00
    expect(availability(hours, at('2026-03-09T13:30:00Z'))).toEqual({ open: false, next: { weekday: 1, time: '09:00', daysAhead: 0 } }); // Monday 7:30
  });
});

describe('helpers', () => {
  it('formats the clock as people write it and gives the local date', () => {
    expect(formatClock('09:00')).toBe('9:00');
    expect(formatClock('19:30')).toBe('19:30');
    expect(isoDateIn(at('2026-03-11T03:00:00Z'), hours.timezone)).toBe('2026-03-10');
  });
});
