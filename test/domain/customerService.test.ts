import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.ts';
import { describeDue, formatDueDate, getMyService } from '../../src/domain/customerService.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { domainDeps } from './domainDeps.ts';

const customer = (over: Partial<Customer> & Pick<Customer, 'id' | 'name' | 'phone'>): Customer => ({
  zone: 'Norte', planMbps: 50, price: 450, status: 'activo', dueDate: '2026-03-15', balance: 0, ...over,
});
const actorA: Actor = { role: 'customer', key: 'console:a', customerId: 'C-1', phone: '525511111111', name: 'Ana López' };

async function seeded() {
  const deps = domainDeps((c) => {
    c.plans.find((p) => p.mbps === 20)!.price = 399;
  });
  await deps.store.upsertCustomers([
    customer({ id: 'C-1', name: 'Ana López', phone: '525511111111', planMbps: 20, price: undefined, dueDate: '2026-03-15', balance: 0 }),
    customer({ id: 'C-2', name: 'Beto Ruiz', phone: '525522222222', planMbps: 100, price: 550, status: 'suspendido', balance: 1100 }),
  ]);
  await deps.store.createIncident({ type: 'falla', priority: 'alta', customerId: 'C-2', description: 'sin internet' });
  await deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-1', description: 'lento' });
  return deps;
}

describe('getMyService', () => {
  it("returns only the actor's own row, price from config when the row has none", async () => {
    const deps = await seeded();
    const mine = await getMyService(deps, actorA);
    expect(mine).toMatchObject({ customerId: 'C-1', name: 'Ana López', planMbps: 20, planName: 'Básico', price: 399, status: 'activo', dueDate: '2026-03-15', balance: 0, openTickets: 1 });
  });
  it('gives nothing to someone who is not an identified customer', async () => {
    const deps = await seeded();
    expect(await getMyService(deps, { role: 'prospect', key: 'console:x', phone: '525522222222' })).toBeUndefined();
    expect(await getMyService(deps, { role: 'staff', key: 'console:s' })).toBeUndefined();
  });
});

describe('formatDueDate', () => {
  it('formats in es-MX', () => {
    expect(formatDueDate('2026-03-15')).toBe('15 de marzo');
    expect(formatDueDate('2026-12-01')).toBe('1 de diciembre');
    expect(formatDueDate('15/03/2026')).toBeUndefined();
  });
});

describe('describeDue', () => {
  const tz = 'America/Mexico_City';
  const today = new Date('2026-03-10T16:00:00Z');
  it('past, today and ahead, in the ISP timezone', () => {
    expect(describeDue('2025-11-16', today, tz)).toEqual({ past: true, isToday: false, text: '16 de noviembre' });
    expect(describeDue('2026-03-10', today, tz)).toEqual({ past: false, isToday: true, text: '10 de marzo' });
    expect(describeDue('2026-03-15', today, tz)).toEqual({ past: false, isToday: false, text: '15 de marzo' });
    // 2026-03-10 at 04:00 UTC is still March 9 in Mexico City.
    expect(describeDue('2026-03-10', new Date('2026-03-10T04:00:00Z'), tz)).toMatchObject({ past: false, isToday: false });
    expect(describeDue('2026-03-09', new Date('2026-03-10T04:00:00Z'), tz)).toMatchObject({ isToday: true });
    expect(describeDue('ayer', today, tz)).toBeUndefined();
  });
  it('the service carries the customer number', async () => {
    const deps = await seeded();
    expect((await getMyService(deps, actorA))?.customerId).toBe('C-1');
  });
});
