import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import type { StaffDeps } from '../../src/domain/staff/common.ts';
import { displayPhone, parseSearchQuery, searchCustomers, stripCommandWords } from '../../src/domain/staff/search.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import type { Store } from '../../src/sheets/store.ts';
import { STAFF_CUSTOMERS, customer, staffConfig } from './staffData.ts';

const staff: Actor = { role: 'staff', key: 'console:ana' };
const config = staffConfig();
let store: Store;
let deps: StaffDeps;

beforeEach(async () => {
  store = openLocalStore({ file: ':memory:' });
  deps = { config, store, clock: () => new Date('2026-03-10T16:00:00Z') };
  await store.upsertCustomers(STAFF_CUSTOMERS);
});
afterEach(() => store.close());

const ids = async (query: string): Promise<string[]> => (await searchCustomers(deps, staff, query)).customers.map((c) => c.id);

describe('parseSearchQuery', () => {
  it('strips the command words', () => {
    expect(stripCommandWords('Búscame a Juan Pérez por favor')).toBe('juan perez');
    expect(parseSearchQuery(config, 'busca a juan perez')).toEqual({ kind: 'name', text: 'juan perez' });
    expect(parseSearchQuery(config, 'buscar cliente')).toBeUndefined();
    expect(parseSearchQuery(config, '')).toBeUndefined();
  });

  it('reads phones in any form and partial last digits', () => {
    expect(parseSearchQuery(config, 'buscar +52 1 55 1234-0004')).toEqual({ kind: 'phone', digits: '5215512340004' });
    expect(parseSearchQuery(config, 'el tel 0004')).toEqual({ kind: 'phone', digits: '0004' });
    expect(parseSearchQuery(config, '123')?.kind).not.toBe('phone');
  });

  it('reads a zone by name, alias or the NLU entity', () => {
    expect(parseSearchQuery(config, 'clientes de la zona norte')).toEqual({ kind: 'zone', zone: 'Norte' });
    expect(parseSearchQuery(config, 'clientes de las palmas')).toEqual({ kind: 'zone', zone: 'Norte' });
    expect(parseSearchQuery(config, 'Sur')).toEqual({ kind: 'zone', zone: 'Sur' });
    expect(parseSearchQuery(config, 'clientes del nortee', 'Norte')).toEqual({ kind: 'name', text: 'nortee' });
    expect(parseSearchQuery(config, 'los clientes de la zona', 'Sur')).toEqual({ kind: 'zone', zone: 'Sur' });
  });
});

describe('searchCustomers by name', () => {
  it('forgives typos and accents', async () => {
    expect(await ids('jose hernandes')).toEqual(['C-001']);
    expect(await ids('JOSÉ HERNÁNDEZ')).toEqual(['C-001']);
    expect(await ids('maria lopes')).toEqual(['C-002']);
    expect(await ids('mraia lopez')).toEqual(['C-002']);
    expect(await ids('luiza martines')).toEqual(['C-006']);
  });

  it('matches word prefixes and single surnames, best match first', async () => {
    expect(await ids('hernandez')).toEqual(['C-001', 'C-008']);
    expect(await ids('ros hern')).toEqual(['C-008']);
    expect(await ids('juan')).toEqual(['C-003']);
  });

  it('finds a customer id typed as the query', async () => {
    expect(await ids('C-007')).toEqual(['C-007']);
  });

  it('does not match unrelated names', async () => {
    expect(await ids('zacarias')).toEqual([]);
    expect(await ids('ana lopez')).toEqual([]);
  });
});

describe('searchCustomers by phone and zone', () => {
  it.each(['5512340004', '525512340004', '5215512340004', '+52 1 55 1234 0004', '55-1234-0004', '0004', '340004'])('finds Ana by %s', async (q) => {
    expect(await ids(q)).toEqual(['C-004']);
  });

  it('lists a zone by name, cancelled customers included', async () => {
    expect(await ids('zona norte')).toEqual(['C-001', 'C-002', 'C-008']);
    expect(await ids('centro')).toEqual(['C-007', 'C-003']);
  });
});

describe('paging', () => {
  it('returns at most 5 per page and where the next page starts', async () => {
    await store.upsertCustomers(
      ['Arturo', 'Beto', 'Ciro', 'Dario', 'Elias', 'Fito'].map((n, i) => customer({ id: `J-${i}`, name: `Juan ${n}`, phone: `55999900${10 + i}` })),
    );
    const first = await searchCustomers(deps, staff, 'juan');
    expect(first.total).toBe(7);
    expect(first.customers).toHaveLength(5);
    expect(first.nextOffset).toBe(5);
    const second = await searchCustomers(deps, staff, 'juan', { offset: first.nextOffset });
    expect(second.customers).toHaveLength(2);
    expect(second.nextOffset).toBeUndefined();
    const all = [...first.customers, ...second.customers].map((c) => c.id);
    expect(new Set(all).size).toBe(7);
    expect((await searchCustomers(deps, staff, 'juan', { limit: 50 })).customers).toHaveLength(5);
  });
});

describe('access and display', () => {
  it('refuses customers and prospects', async () => {
    await expect(searchCustomers(deps, { role: 'customer', key: 'k', customerId: 'C-001' }, 'juan')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(searchCustomers(deps, { role: 'prospect', key: 'k' }, '0004')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('shows stored numbers in national format', () => {
    expect(displayPhone('525512340004', 'MX')).toBe('55 1234 0004');
    expect(displayPhone('not a phone', 'MX')).toBe('not a phone');
  });
});
