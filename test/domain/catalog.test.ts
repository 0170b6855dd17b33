import { describe, expect, it } from 'vitest';
import { planLabel, planVars, resolveZone } from '../../src/domain/catalog.ts';
import { domainDeps } from './domainDeps.ts';

describe('catalog', () => {
  it('words a plan with the catalogue template, prices from config', () => {
    const deps = domainDeps((c) => void (c.plans.find((p) => p.mbps === 50)!.price = 499));
    const plus = deps.config.plans.find((p) => p.mbps === 50)!;
    expect(planVars(deps.config, plus)).toEqual({ name: 'Plus', mbps: 50, price: '$499' });
    expect(planLabel(deps.msg, deps.config, plus)).toBe('Plus 50 Mbps: $499 al mes');
  });

  it('resolves a written zone to the configured one by name or alias', () => {
    const { config } = domainDeps();
    expect(resolveZone(config, 'Norte')?.name).toBe('Norte');
    expect(resolveZone(config, 'Zona Norte')?.name).toBe('Norte');
    expect(resolveZone(config, 'zona oeste')?.name).toBe('Poniente');
    expect(resolveZone(config, 'Lomas del Norte')?.name).toBe('Norte');
    expect(resolveZone(config, 'Marte')).toBeUndefined();
    expect(resolveZone(config, '  ')).toBeUndefined();
  });
});
