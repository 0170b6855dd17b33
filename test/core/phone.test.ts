import { describe, expect, it } from 'vitest';
import { maskDigitRuns, maskPhone, normalizePhone } from '../../src/core/phone.ts';

describe('normalizePhone', () => {
  it('reads the forms of one Mexican mobile number as the same person', () => {
    for (const form of ['+52 1 55 1234 5678', '5215512345678', '+525512345678', '55 1234 5678', '525512345678', '(55) 1234-5678']) {
      expect(normalizePhone(form), form).toBe('525512345678');
    }
  });

  it('gives the same answer once the cache holds a number as before (each form asked first, then again)', () => {
    // A fresh number per form, so the first call of each is a real parse and the second a cache hit.
    const forms = (n: number) => [`+52 1 33 ${n} 0001`, `52133${n}0001`, `+5233${n}0001`, `5233${n}0001`];
    forms(1000).forEach((form, i) => {
      const first = normalizePhone(forms(1000 + i)[i]!);
      expect(first).toBe(`5233${1000 + i}0001`);
      expect(normalizePhone(forms(1000 + i)[i]!)).toBe(first);
      expect(normalizePhone(form)).toBe('523310000001');
    });
  });

  it('keeps a foreign number international and does not read its bare digits as Mexican', () => {
    expect(normalizePhone('+1 212 555 0142')).toBe('12125550142');
    expect(normalizePhone('+12125550142')).toBe('12125550142');
    // Without '+', 1 212 555 0142 is not a valid Mexican number: the cached foreign result must not leak into it.
    expect(normalizePhone('12125550142')).toBeUndefined();
  });

  it('refuses what is not a phone number', () => {
    expect(normalizePhone('hola')).toBeUndefined();
    expect(normalizePhone('12345')).toBeUndefined();
  });
});

describe('masking', () => {
  it('keeps only the last four digits', () => {
    expect(maskPhone('525512345678')).toBe('********5678');
    expect(maskDigitRuns('whatsapp:525512345678 said hi at 12:30')).toBe('whatsapp:********5678 said hi at 12:30');
  });
});
