import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import type { StaffDeps } from '../../src/domain/staff/common.ts';
import { getStats } from '../../src/domain/staff/stats.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { Store } from '../../src/sheets/store.ts';
import { seedStaffData, staffConfig } from './staffData.ts';

const staff: Actor = { role: 'staff', key: 'console:ana' };
const customerActor: Actor = { role: 'customer', key: 'whatsapp:5215512340003', customerId: 'C-003' };
const prospectActor: Actor = { role: 'prospect', key: 'telegram:99' };
const NOW = new Date('2026-03-10T16:00:00Z');

let store: Store;
let deps: StaffDeps;
let storeNow = NOW.getTime();

beforeEach(async () => {
  storeNow = NOW.getTime();
  store = openLocalStore({ file: ':memory:', clock: () => new Date(storeNow) });
  deps = { config: staffConfig(), store, clock: () => NOW };
  await seedStaffData(store);
});
afterEach(() => store.close());

describe('getStats', () => {
  it('counts customers by status, active customers by zone and plan', async () => {
    const s = await getStats(deps, staff);
    expect(s.zone).toBeUndefined();
    expect(s.customers.total).toBe(8);
    expect(s.customers.byStatus).toEqual({ activo: 6, suspendido: 1, cancelado: 1 });
    expect(s.customers.activeByZone).toEqual([
      { key: 'Norte', count: 3 },
      { key: 'Sur', count: 2 },
      { key: 'Centro', count: 1 },
    ]);
    expect(s.customers.activeByPlan).toEqual([
      { key: 20, count: 2 },
      { key: 50, count: 3 },
      { key: 100, count: 1 },
    ]);
  });

  it('counts open tickets by type and priority (closed ones left out)', async () => {
    const s = await getStats(deps, staff);
    expect(s.tickets.open).toBe(5);
    expect(s.tickets.byPriority).toEqual({ alta: 1, media: 3, baja: 1 });
    expect(s.tickets.byType).toEqual([
      { key: 'falla', count: 4 },
      { key: 'pago', count: 1 },
    ]);
  });

  it('counts prospects of the last 7 days and the whole waiting list', async () => {
    storeNow = NOW.getTime() - 10 * 24 * 3600_000;
    await store.createProspect({ name: 'Viejo', phone: '5598760009', status: 'lista_espera' });
    const s = await getStats(deps, staff);
    expect(s.prospects).toEqual({ days: 7, recent: 2, waitingList: 2 });
  });

  it('narrows everything to one zone, spelled any way', async () => {
    const s = await getStats(deps, staff, { zone: 'norte' });
    expect(s.zone).toBe('Norte');
    expect(s.customers.byStatus).toEqual({ activo: 3, suspendido: 0, cancelado: 0 });
    expect(s.customers.activeByZone).toEqual([]);
    // The ticket without a zone counts for its customer's zone.
    expect(s.tickets.open).toBe(3);
    expect(s.tickets.byPriority).toEqual({ alta: 1, media: 2, baja: 0 });
    const sur = await getStats(deps, staff, { zone: 'Sur' });
    expect(sur.prospects.recent).toBe(1);
    expect(sur.tickets.byType).toEqual([
      { key: 'falla', count: 1 },
      { key: 'pago', count: 1 },
    ]);
  });

  it('is empty, not failing, on an empty store', async () => {
    const empty = openLocalStore({ file: ':memory:' });
    const s = await getStats({ ...deps, store: empty }, staff);
    expect(s.customers.total).toBe(0);
    expect(s.tickets.open).toBe(0);
    expect(s.prospects.recent).toBe(0);
    await empty.close();
  });

  it('refuses anyone who is not staff', async () => {
    await expect(getStats(deps, customerActor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getStats(deps, prospectActor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
