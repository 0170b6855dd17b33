import { describe, expect, it } from 'vitest';
import { fuzzyZone } from '../../src/domain/staff/common.ts';
import { damerauLevenshtein, nameScore, phoneticKey, tokenScore } from '../../src/domain/staff/fuzzy.ts';
import { staffConfig } from './staffData.ts';

describe('damerauLevenshtein', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(damerauLevenshtein('juan', 'juan')).toBe(0);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('perez', 'peres')).toBe(1);
    expect(damerauLevenshtein('mraia', 'maria')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });
});

describe('phoneticKey', () => {
  it('merges common Spanish spellings', () => {
    expect(phoneticKey('hernandez')).toBe(phoneticKey('ernandes'));
    expect(phoneticKey('vazquez')).toBe(phoneticKey('basques'));
    expect(phoneticKey('guillermo')).toBe(phoneticKey('giyermo'));
  });
});

describe('tokenScore and nameScore', () => {
  it('ranks exact over prefix over typo, and rejects short different words', () => {
    expect(tokenScore('juan', 'juan')).toBe(1);
    expect(tokenScore('juan', 'juana')).toBeGreaterThan(tokenScore('jaun', 'juan'));
    expect(tokenScore('jaun', 'juan')).toBeGreaterThan(0);
    expect(tokenScore('ana', 'ama')).toBe(0);
    expect(tokenScore('rosa', 'jose')).toBe(0);
    expect(tokenScore('gracias', 'garcia')).toBe(0);
    expect(tokenScore('hernandes', 'hernandez')).toBeGreaterThan(0);
  });

  it('needs every query word to match a different name word', () => {
    expect(nameScore(['jose', 'hernandes'], ['jose', 'hernandez'])).toBeGreaterThan(0.8);
    expect(nameScore(['juan', 'juan'], ['juan', 'perez'])).toBe(0);
    expect(nameScore(['juan', 'lopez'], ['juan', 'perez'])).toBe(0);
    expect(nameScore([], ['juan'])).toBe(0);
  });
});

describe('fuzzyZone', () => {
  const config = staffConfig();
  it('forgives a typo in a short zone answer', () => {
    expect(fuzzyZone(config, 'nrote')?.name).toBe('Norte');
    expect(fuzzyZone(config, 'sentro')?.name).toBe('Centro');
    expect(fuzzyZone(config, 'la zona ponienet')?.name).toBe('Poniente');
  });
  it('nothing for longer questions, short words or gibberish', () => {
    expect(fuzzyZone(config, 'cuantos reportes abiertos hay')).toBeUndefined();
    expect(fuzzyZone(config, 'sue')).toBeUndefined();
    expect(fuzzyZone(config, 'qwerty')).toBeUndefined();
  });
});
