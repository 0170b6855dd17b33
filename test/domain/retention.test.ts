import { describe, expect, it } from 'vitest';
import type { RetentionRule } from '../../src/config/schema.ts';
import { chooseRetentionOffer, isOverdue, moveOutsideCoverage, ruleApplies, tenureMonths } from '../../src/domain/retention.ts';
import { shippedConfig } from '../support/harness.ts';

const rules = shippedConfig().retention;

describe('chooseRetentionOffer with the shipped table', () => {
  it('price and a long tenure → discount', () => {
    expect(chooseRetentionOffer(rules, { reason: 'precio', tenureMonths: 14, planMbps: 50 })).toMatch(/20 %/);
  });
  it('price, short tenure, a bigger plan → a smaller plan', () => {
    expect(chooseRetentionOffer(rules, { reason: 'precio', tenureMonths: 3, planMbps: 100 })).toMatch(/plan menor/);
  });
  it('price, short tenure, the smallest plan → the catch-all rule', () => {
    expect(chooseRetentionOffer(rules, { reason: 'precio', tenureMonths: 3, planMbps: 20 })).toMatch(/50 %/);
  });
  it('fallas, mudanza and another provider', () => {
    expect(chooseRetentionOffer(rules, { reason: 'fallas' })).toMatch(/Visita técnica/);
    expect(chooseRetentionOffer(rules, { reason: 'me_mudo' })).toMatch(/domicilio/);
    expect(chooseRetentionOffer(rules, { reason: 'otro_proveedor', tenureMonths: 6 })).toMatch(/Subida de velocidad/);
    expect(chooseRetentionOffer(rules, { reason: 'otro_proveedor', tenureMonths: 5 })).toMatch(/50 %/);
  });
  it('unknown facts make conditions on them fail', () => {
    expect(chooseRetentionOffer(rules, { reason: 'precio' })).toMatch(/50 %/);
  });
});

describe('decision table semantics', () => {
  const table: RetentionRule[] = [
    { when: { reasons: ['precio'], overdue: true }, offer: 'A' },
    { when: { minOpenTickets: 2 }, offer: 'B' },
    { when: { maxTenureMonths: 2 }, offer: 'C' },
    { when: { reasons: ['precio'] }, offer: 'D' },
  ];

  it('is read top-down: the first rule whose conditions all hold wins', () => {
    expect(chooseRetentionOffer(table, { reason: 'precio', overdue: true, openTickets: 5, tenureMonths: 1 })).toBe('A');
    expect(chooseRetentionOffer(table, { reason: 'precio', overdue: false, openTickets: 5, tenureMonths: 1 })).toBe('B');
    expect(chooseRetentionOffer(table, { reason: 'precio', overdue: false, openTickets: 1, tenureMonths: 1 })).toBe('C');
    expect(chooseRetentionOffer(table, { reason: 'precio', overdue: false, openTickets: 1, tenureMonths: 30 })).toBe('D');
  });

  it('returns undefined when no rule applies', () => {
    expect(chooseRetentionOffer(table, { reason: 'otro', openTickets: 0, tenureMonths: 12 })).toBeUndefined();
  });

  it('an empty condition always holds', () => {
    expect(ruleApplies({}, { reason: 'otro' })).toBe(true);
  });
});

describe('facts', () => {
  it('counts whole months of tenure', () => {
    expect(tenureMonths('2024-01-15', '2026-03-10')).toBe(25);
    expect(tenureMonths('2026-02-10', '2026-03-10')).toBe(1);
    expect(tenureMonths(undefined, '2026-03-10')).toBeUndefined();
  });
  it('overdue = balance owed and due date past', () => {
    expect(isOverdue({ balance: 450, dueDate: '2026-03-01' }, '2026-03-10')).toBe(true);
    expect(isOverdue({ balance: 450, dueDate: '2026-03-15' }, '2026-03-10')).toBe(false);
    expect(isOverdue({ balance: 0, dueDate: '2026-03-01' }, '2026-03-10')).toBe(false);
  });
});

describe('moveOutsideCoverage', () => {
  const config = shippedConfig();
  it('names a place we know we do not reach (config list or NLU area)', () => {
    expect(moveOutsideCoverage(config, 'me mudo a san pedro')).toBe('San Pedro');
    expect(moveOutsideCoverage(config, 'me voy a vivir lejos', { area: 'rancho viejo' })).toBe('Rancho Viejo');
  });
  it('nothing for a covered place or no place at all', () => {
    expect(moveOutsideCoverage(config, 'me mudo a las palmas')).toBeUndefined();
    expect(moveOutsideCoverage(config, 'me voy a cambiar de casa')).toBeUndefined();
  });
});
