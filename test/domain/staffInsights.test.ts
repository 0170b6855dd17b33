import { describe, expect, it } from 'vitest';
import { buildInsights, type InsightInput } from '../../src/domain/staff/insights.ts';

const base: InsightInput = {
  incidentsByZone: [],
  incidentDays: 7,
  overdueByZone: [],
  overdueCount: 0,
  overdueAmount: 0,
  dueThisWeek: { count: 0, amount: 0 },
  revenueByPlan: [],
  mrr: 0,
};

describe('buildInsights', () => {
  it('says nothing when the data supports nothing', () => {
    expect(buildInsights(base)).toEqual([]);
  });

  it('names the top zone only when it clearly leads with 2+ reports', () => {
    expect(buildInsights({ ...base, incidentsByZone: [{ key: 'Norte', count: 7 }, { key: 'Sur', count: 2 }] })).toEqual([
      { kind: 'topIncidentZone', zone: 'Norte', count: 7, days: 7 },
    ]);
    expect(buildInsights({ ...base, incidentsByZone: [{ key: 'Norte', count: 3 }, { key: 'Sur', count: 3 }] })).toEqual([]);
    expect(buildInsights({ ...base, incidentsByZone: [{ key: 'Norte', count: 1 }] })).toEqual([]);
  });

  it('points out where the debt concentrates (40 % or more, 2+ accounts)', () => {
    const debt = { overdueCount: 5, overdueAmount: 1000, overdueByZone: [{ key: 'Sur', count: 2, amount: 400 }, { key: 'Norte', count: 3, amount: 300 }, { key: 'Centro', count: 1, amount: 300 }] };
    expect(buildInsights({ ...base, ...debt })).toEqual([{ kind: 'debtConcentration', zone: 'Sur', percent: 40 }]);
    expect(buildInsights({ ...base, ...debt, overdueByZone: [{ key: 'Sur', count: 2, amount: 350 }, { key: 'Norte', count: 3, amount: 350 }] })).toEqual([]);
    expect(buildInsights({ ...base, overdueCount: 1, overdueAmount: 500, overdueByZone: [{ key: 'Sur', count: 1, amount: 500 }] })).toEqual([]);
  });

  it('mentions the plan that brings most of the revenue, and caps the list at 3', () => {
    const all: InsightInput = {
      ...base,
      incidentsByZone: [{ key: 'Norte', count: 4 }],
      overdueCount: 2,
      overdueAmount: 100,
      overdueByZone: [{ key: 'Sur', count: 2, amount: 100 }],
      dueThisWeek: { count: 12, amount: 5400 },
      revenueByPlan: [{ key: 20, count: 1, amount: 350 }, { key: 50, count: 4, amount: 1800 }],
      mrr: 2150,
    };
    expect(buildInsights(all).map((i) => i.kind)).toEqual(['topIncidentZone', 'debtConcentration', 'dueThisWeek']);
    expect(buildInsights(all, 4)[3]).toEqual({ kind: 'topPlanRevenue', mbps: 50, percent: 84 });
  });
});
