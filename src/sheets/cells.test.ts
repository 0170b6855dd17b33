import { describe, expect, it } from 'vitest';
import { parseDate, parseEnum, parseMbps, parseMoney, parsePhone, parseTimestamp } from './cells.ts';

const value = <T>(r: { value: T } | { error: string }) => ('value' in r ? r.value : `ERROR: ${r.error}`);

describe('cells', () => {
  it('reads dates as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY', () => {
    expect(value(parseDate('2024-03-05'))).toBe('2024-03-05');
    expect(value(parseDate('05/03/2024'))).toBe('2024-03-05');
    expect(value(parseDate('5-3-2024'))).toBe('2024-03-05');
    expect(value(parseDate('29/02/2024'))).toBe('2024-02-29');
  });

  it('rejects impossible or ambiguous dates', () => {
    for (const bad of ['31/02/2024', '2024-13-01', '03/05/24', 'mañana', '2024/03/05', '29/02/2023']) {
      expect(parseDate(bad), bad).toHaveProperty('error');
    }
  });

  it('reads timestamps as ISO UTC, local times at -06:00 by default', () => {
    expect(value(parseTimestamp('2025-01-10T10:00:00Z'))).toBe('2025-01-10T10:00:00.000Z');
    expect(value(parseTimestamp('2025-01-10T10:00:00.5-05:00'))).toBe('2025-01-10T15:00:00.500Z');
    expect(value(parseTimestamp('2025-01-10 10:30'))).toBe('2025-01-10T16:30:00.000Z');
    expect(value(parseTimestamp('10/01/2025 10:30'))).toBe('2025-01-10T16:30:00.000Z');
    expect(value(parseTimestamp('10-01-2025'))).toBe('2025-01-10T06:00:00.000Z');
    expect(value(parseTimestamp('2025-01-10', '+00:00'))).toBe('2025-01-10T00:00:00.000Z');
    for (const bad of ['2025-01-10 25:00', 'ayer', '2025-02-30T00:00:00Z']) expect(parseTimestamp(bad), bad).toHaveProperty('error');
  });

  it('reads money with $, thousands commas and MXN', () => {
    expect(value(parseMoney('$1,234.50'))).toBe(1234.5);
    expect(value(parseMoney('450 MXN'))).toBe(450);
    expect(value(parseMoney('-100'))).toBe(-100);
    expect(parseMoney('mucho')).toHaveProperty('error');
    expect(parseMoney('4.5.0')).toHaveProperty('error');
  });

  it('reads plan speeds', () => {
    expect(value(parseMbps('50'))).toBe(50);
    expect(value(parseMbps('100 Mbps'))).toBe(100);
    expect(value(parseMbps('20 megas'))).toBe(20);
    expect(value(parseMbps('20.0'))).toBe(20);
    for (const bad of ['0', '-5', '2.5', 'rápido']) expect(parseMbps(bad), bad).toHaveProperty('error');
  });

  it('normalises phones and rejects non-numbers', () => {
    expect(value(parsePhone('+52 1 55 1234 5678'))).toBe('525512345678');
    expect(value(parsePhone('(33) 1234-5678'))).toBe('523312345678');
    expect(parsePhone('12345')).toHaveProperty('error');
  });

  it('reads enum values ignoring accents, case and separators, with aliases', () => {
    const statuses = ['abierto', 'en_proceso', 'cerrado'] as const;
    expect(value(parseEnum('En Proceso', statuses))).toBe('en_proceso');
    expect(value(parseEnum('EN-PROCESO', statuses))).toBe('en_proceso');
    expect(value(parseEnum('Resuelto', statuses, { resuelto: 'cerrado' }))).toBe('cerrado');
    expect(value(parseEnum('Cancelación', ['cancelacion']))).toBe('cancelacion');
    const bad = parseEnum('pendiente', statuses);
    expect(bad).toHaveProperty('error');
    expect('error' in bad && bad.error).toContain('abierto, en_proceso, cerrado');
  });
});
