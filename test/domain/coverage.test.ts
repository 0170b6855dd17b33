import { describe, expect, it } from 'vitest';
import { checkCoverage, extractPlaceName } from '../../src/domain/coverage.ts';
import { ispConfig as shippedConfig } from './domainDeps.ts';

describe('checkCoverage', () => {
  const config = shippedConfig();
  it('maps a colonia alias to its zone', () => {
    const res = checkCoverage(config, 'vivo en las flores');
    expect(res).toMatchObject({ kind: 'covered', zone: { name: 'Poniente' }, colonia: 'Las Flores' });
  });
  it('takes the NLU zone and a bare zone name', () => {
    expect(checkCoverage(config, 'algo', { zona: 'Sur' })).toMatchObject({ kind: 'covered', zone: { name: 'Sur' } });
    const norte = checkCoverage(config, 'en la zona norte');
    expect(norte).toMatchObject({ kind: 'covered', zone: { name: 'Norte' } });
    expect(norte.kind === 'covered' && norte.colonia).toBeFalsy();
  });
  it('a place the text spells exactly wins over a fuzzy NLU zone', () => {
    // The NLU reads "zona esta" as a typo of the alias "zona este" (Oriente); the text says la loma (Poniente).
    expect(checkCoverage(config, 'la zona esta mal, es la loma', { zona: 'Oriente' })).toMatchObject({ kind: 'covered', zone: { name: 'Poniente' }, colonia: 'La Loma' });
  });
  it('places outside coverage come from config or the NLU area', () => {
    expect(checkCoverage(config, '¿llegan a san pedro?')).toEqual({ kind: 'outside', place: 'San Pedro' });
    expect(checkCoverage(config, 'x', { area: 'lomas verdes' })).toEqual({ kind: 'outside', place: 'Lomas Verdes' });
  });
  it('unknown place names are outside only when asked for a place', () => {
    expect(checkCoverage(config, 'vivo en la colonia Hidalgo')).toEqual({ kind: 'unknown' });
    expect(checkCoverage(config, 'vivo en la colonia Hidalgo', {}, { anyPlace: true })).toEqual({ kind: 'outside', place: 'Hidalgo' });
  });
});

describe('extractPlaceName', () => {
  it.each([
    ['vivo en la colonia Hidalgo', 'Hidalgo'], ['en la joya', 'La Joya'], ['Col. Independencia', 'Independencia'], ['¿llegan a Tlalpan?', 'Tlalpan'], ['bueno, vivo en Hidalgo', 'Hidalgo'], ['mmm vivimos en la colonia Juárez', 'Juárez'],
  ])('%s → %s', (text, place) => expect(extractPlaceName(text)).toBe(place));
  it.each(['sí', 'no', '', '12345678', '??'])('nothing in %j', (text) => expect(extractPlaceName(text)).toBeUndefined());
});
