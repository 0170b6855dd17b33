import { describe, expect, it } from 'vitest';
import {
  correctionValue, firstNameOf, formatPhone, isQuestion, isSingleName, parsePhoneAnswer, parsePlanChoice, parseYesNo, planForUsage, plansInText, usageInText, usageOfPlan, validateFullName,
} from '../../src/domain/answers.ts';
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

describe('parseYesNo with fillers and slang', () => {
  it.each([
    ['mmm mejor no', 'no'], ['pues si', 'yes'], ['pues sí, claro', 'yes'], ['este... no', 'no'], ['sip', 'yes'], ['simon', 'yes'], ['nel', 'no'],
    ['nop', 'no'], ['ahorita no', 'no'], ['eh, sí', 'yes'], ['bueno', 'yes'], ['bueno... no', 'no'], ['claro que no', 'no'], ['siii', 'yes'], ['nooo', 'no'],
    ['mmm', undefined], ['pues', undefined],
  ])('%s → %s', (text, expected) => expect(parseYesNo(text)).toBe(expected));
});

describe('strict names', () => {
  it.each(['vivo en la colonia las flores', 'quiero el de 50', 'tengo una pregunta', 'es en la loma', 'mi esposo', 'las flores', 'Karla', 'Ana de', 'uno dos tres cuatro cinco seis'])(
    'rejects the sentence %j',
    (text) => expect(validateFullName(text)).toBeUndefined(),
  );
  it('accepts real names with particles, drops honorifics and introductions', () => {
    expect(validateFullName('María de la Luz Pérez')).toBe('María de la Luz Pérez');
    expect(validateFullName('maría de los ángeles garcía lópez')).toBe('María de los Ángeles García López');
    expect(validateFullName('Sr. Juan Pérez')).toBe('Juan Pérez');
    expect(validateFullName('me llamo Karla Pérez')).toBe('Karla Pérez');
    expect(validateFullName('Juan Carlos Ortega y Gasset')).toBe('Juan Carlos Ortega y Gasset');
  });
  it('tells a lone first name apart', () => {
    expect(isSingleName('Karla')).toBe(true);
    expect(isSingleName('Doña Karla')).toBe(true);
    expect(isSingleName('vivo')).toBe(false);
    expect(isSingleName('Karla Pérez')).toBe(false);
  });
  it('first names skip honorifics', () => {
    for (const [name, first] of [['Don Chuy', 'Chuy'], ['Doña Lupe Ramos', 'Lupe'], ['Lic. Ana Ruiz', 'Ana'], ['Ing Pedro', 'Pedro'], ['Dra. Alma', 'Alma'], ['Sra. Rosa', 'Rosa']]) {
      expect(firstNameOf(name)).toBe(first);
    }
    expect(firstNameOf('')).toBeUndefined();
  });
});

describe('plans in words', () => {
  const config = shippedConfig();
  it('the middle plan, and every plan a text names in order', () => {
    expect(parsePlanChoice(config, 'el de en medio')?.mbps).toBe(50);
    expect(parsePlanChoice(config, 'el mediano')?.mbps).toBe(50);
    expect(plansInText(config, 'cual es la diferencia entre el de 20 y el de 50?').map((p) => p.mbps)).toEqual([20, 50]);
    expect(plansInText(config, 'el ultra o el básico').map((p) => p.mbps)).toEqual([100, 20]);
  });
  it('uses map to plans by speed rank, whatever the speeds', () => {
    expect(usageInText('para ver netflix y que mis hijos hagan tarea')).toBe('mid');
    expect(usageInText('somos varias personas y juego en línea')).toBe('high');
    expect(usageInText('solo para whatsapp y facebook')).toBe('low');
    expect(usageInText('no sé')).toBeUndefined();
    const c = shippedConfig();
    c.plans = [{ name: 'A', mbps: 300, price: 900 }, { name: 'B', mbps: 40, price: 300 }, { name: 'C', mbps: 10, price: 200 }, { name: 'D', mbps: 90, price: 500 }];
    expect(planForUsage(c, 'low')?.name).toBe('C');
    expect(planForUsage(c, 'mid')?.name).toBe('D');
    expect(planForUsage(c, 'high')?.name).toBe('A');
    expect(usageOfPlan(c, c.plans[1]!)).toBe('mid');
    expect(usageOfPlan(c, c.plans[0]!)).toBe('high');
  });
});

describe('questions and corrections', () => {
  it.each([
    ['cual es la diferencia entre el de 20 y el de 50?', true], ['¿qué incluye?', true], ['y cuales hay', true], ['por que tan caro', true],
    ['cuánto cuesta el de 100', true], ['el de 50', false], ['¿el de 50?', false], ['sí', false],
  ])('%s → %s', (text, expected) => expect(isQuestion(text)).toBe(expected));
  it.each([
    ['la zona esta mal, es la loma', 'la loma'], ['cambia el plan a 100', '100'], ['el nombre está mal, es Karla Pérez', 'Karla Pérez'],
    ['mi teléfono es 55 1234 5678', '55 1234 5678'], ['la zona está mal', undefined],
  ])('%s → %s', (text, value) => expect(correctionValue(text)).toBe(value));
});
