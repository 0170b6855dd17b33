import { describe, expect, it } from 'vitest';
import { formatPhone, parsePhoneAnswer, parsePlanChoice, parseYesNo, validateFullName } from '../../src/domain/answers.ts';
import { ispConfig as shippedConfig } from './domainDeps.ts';

describe('parseYesNo', () => {
  it.each([
    ['sí', 'yes'], ['si', 'yes'], ['Simón', 'yes'], ['claro que sí', 'yes'], ['ok', 'yes'], ['sí, por favor', 'yes'], ['está bien', 'yes'],
    ['no', 'no'], ['nel', 'no'], ['No, gracias', 'no'], ['mejor no', 'no'], ['ahorita no', 'no'],
    ['Ana López', undefined], ['', undefined], ['quizá', undefined],
  ])('%s → %s', (text, expected) => expect(parseYesNo(text)).toBe(expected));

  it('prefers a pressed button', () => {
    expect(parseYesNo('', 'yes')).toBe('yes');
    expect(parseYesNo('', 'no')).toBe('no');
  });
});

describe('validateFullName', () => {
  it('accepts two or more words of letters and tidies case', () => {
    expect(validateFullName('ana lópez')).toBe('Ana López');
    expect(validateFullName('  María   de la  Luz ')).toBe('María de la Luz');
    expect(validateFullName('JOSÉ PÉREZ')).toBe('José Pérez');
  });
  it.each(['Ana', 'Ana 123', 'r2d2 robot', 'quiero contratar', '', 'ana@x.com perez'])('rejects %j', (text) =>
    expect(validateFullName(text)).toBeUndefined());
});

describe('parsePlanChoice', () => {
  const config = shippedConfig();
  it.each([
    ['el de 50', 50], ['50 megas', 50], ['quiero el plus', 50], ['el más barato', 20], ['el mas rapido', 100], ['el de 600', 100], ['Básico', 20],
  ])('%s → %i Mbps', (text, mbps) => expect(parsePlanChoice(config, text)?.mbps).toBe(mbps));
  it('uses the NLU speed first and ignores unknown numbers', () => {
    expect(parsePlanChoice(config, 'no sé', 100)?.mbps).toBe(100);
    expect(parsePlanChoice(config, 'el de 30')).toBeUndefined();
    expect(parsePlanChoice(config, 'no sé')).toBeUndefined();
  });
  it('follows config: the cheapest plan is whatever config says', () => {
    const c = shippedConfig();
    c.plans.push({ name: 'Mini', mbps: 10, price: 250 });
    expect(parsePlanChoice(c, 'el más económico')?.mbps).toBe(10);
  });
});

describe('parsePhoneAnswer', () => {
  const config = shippedConfig();
  it('normalises MX numbers in any form', () => {
    for (const text of ['55 1234 5678', '+52 1 55 1234 5678', '52 55 1234 5678', 'mi número es 55-1234-5678', '5215512345678']) {
      expect(parsePhoneAnswer(config, text)).toBe('525512345678');
    }
  });
  it('rejects junk', () => {
    expect(parsePhoneAnswer(config, '12345')).toBeUndefined();
    expect(parsePhoneAnswer(config, 'no tengo')).toBeUndefined();
  });
  it('formats a number back', () => expect(formatPhone('525512345678')).toBe('+52 55 1234 5678'));
});
