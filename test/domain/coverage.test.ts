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
    ['vivo en la colonia Hidalgo', 'Hidalgo'], ['en la joya', 'La Joya'], ['Col. Independencia', 'Independencia'], ['¿llegan a Tlalpan?', 'Tlalpan'],
  ])('%s → %s', (text, place) => expect(extractPlaceName(text)).toBe(place));
  it.each(['sí', 'no', '', '12345678', '??'])('nothing in %j', (text) => expect(extractPlaceName(text)).toBeUndefined());
});
