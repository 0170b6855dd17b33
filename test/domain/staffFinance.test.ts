import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import type { StaffDeps } from '../../src/domain/staff/common.ts';
import { getFinanceSummary } from '../../src/domain/staff/finance.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { Store } from '../../src/sheets/store.ts';
import { seedStaffData, staffConfig } from './staffData.ts';

const staff: Actor = { role: 'staff', key: 'console:ana' };
const NOW = new Date('2026-03-10T16:00:00Z');
let storeNow = NOW.getTime();
let store: Store;
let deps: StaffDeps;

beforeEach(async () => {
  storeNow = NOW.getTime();
  store = openLocalStore({ file: ':memory:', clock: () => new Date(storeNow) });
  deps = { config: staffConfig(), store, clock: () => NOW };
  await seedStaffData(store);
});
afterEach(() => store.close());

describe('getFinanceSummary', () => {
  it('sums the monthly price of active customers (plan price when the row has none)', async () => {
    const f = await getFinanceSummary(deps, staff, NOW);
    expect(f.today).toBe('2026-03-10');
    expect(f.mrr).toBe(2600);
    expect(f.activeCustomers).toBe(6);
    expect(f.arpu).toBe(433.33);
    expect(f.byPlan).toEqual([
      { key: 20, count: 2, amount: 650 },
      { key: 50, count: 3, amount: 1350 },
      { key: 100, count: 1, amount: 600 },
    ]);
    expect(f.byZone).toEqual([
      { key: 'Norte', count: 3, amount: 1500 },
      { key: 'Sur', count: 2, amount: 750 },
      { key: 'Centro', count: 1, amount: 350 },
    ]);
  });

  it('counts overdue accounts: balance owed and due date before today', async () => {
    const f = await getFinanceSummary(deps, staff, NOW);
    expect(f.overdue.count).toBe(3);
    expect(f.overdue.amount).toBe(2700);
    expect(f.overdue.accounts.map((a) => [a.id, a.amount, a.daysLate])).toEqual([
      ['C-006', 1350, 18],
      ['C-004', 900, 9],
      ['C-001', 450, 5],
    ]);
    expect(f.dueThisWeek).toEqual({ count: 3, amount: 1250 });
  });

  it('uses the ISP timezone for "today"', async () => {
    // 02:00 UTC on the 11th is still the 10th in Mexico City: C-005 (due the 10th) is not overdue yet.
    const f = await getFinanceSummary(deps, staff, new Date('2026-03-11T02:00:00Z'));
    expect(f.today).toBe('2026-03-10');
    expect(f.overdue.count).toBe(3);
    const next = await getFinanceSummary(deps, staff, new Date('2026-03-11T07:00:00Z'));
    expect(next.overdue.count).toBe(4);
    expect(next.overdue.amount).toBe(3000);
  });

  it('finds the top-zone, debt-concentration and due-this-week insights', async () => {
    const f = await getFinanceSummary(deps, staff, NOW);
    expect(f.insights).toEqual([
      { kind: 'topIncidentZone', zone: 'Norte', count: 3, days: 7 },
      { kind: 'debtConcentration', zone: 'Oriente', percent: 50 },
      { kind: 'dueThisWeek', count: 3, amount: 1250 },
    ]);
  });

  it('leaves failure reports older than a week out of the top-zone insight', async () => {
    storeNow = NOW.getTime() - 9 * 24 * 3600_000;
    for (let i = 0; i < 4; i++) await store.createIncident({ type: 'falla', priority: 'media', zone: 'Sur' });
    const f = await getFinanceSummary(deps, staff, NOW);
    expect(f.insights[0]).toEqual({ kind: 'topIncidentZone', zone: 'Norte', count: 3, days: 7 });
  });

  it('narrows to one zone', async () => {
    const f = await getFinanceSummary(deps, staff, NOW, { zone: 'sur' });
    expect(f.zone).toBe('Sur');
    expect(f.mrr).toBe(750);
    expect(f.arpu).toBe(375);
    expect(f.byZone).toEqual([]);
    expect(f.overdue).toMatchObject({ count: 1, amount: 900 });
    expect(f.insights.map((i) => i.kind)).not.toContain('topIncidentZone');
  });

  it('is all zeros without customers', async () => {
    const empty = openLocalStore({ file: ':memory:' });
    const f = await getFinanceSummary({ ...deps, store: empty }, staff, NOW);
    expect(f).toMatchObject({ mrr: 0, arpu: 0, activeCustomers: 0, overdue: { count: 0, amount: 0 }, insights: [] });
    await empty.close();
  });

  it('refuses anyone who is not staff', async () => {
    await expect(getFinanceSummary(deps, { role: 'customer', key: 'k', customerId: 'C-001' }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getFinanceSummary(deps, { role: 'prospect', key: 'k' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
