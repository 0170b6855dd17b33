import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/data/random.ts';
import { auc, precisionRecall, stratifiedSplit } from '../../src/outreach/churn/metrics.ts';
import { fitNaiveBayes, predictNaiveBayes } from '../../src/outreach/churn/naiveBayes.ts';
import { massOutageEvents } from '../../src/outreach/churn/features.ts';
import { getChurnScore, trainChurn } from '../../src/outreach/churn/train.ts';
import type { Customer, Incident } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { config, customer } from './support.ts';

const NOW = new Date('2026-05-20T17:00:00Z');

describe('metrics', () => {
  it('computes AUC by ranks, with ties counted half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5);
    expect(auc([1, 2], [1, 1])).toBeNaN();
    expect(precisionRecall([0.9, 0.6, 0.2, 0.7], [1, 0, 1, 1], 0.5)).toEqual({ precision: 2 / 3, recall: 2 / 3 });
  });

  it('splits by class with a seed, the same way every time', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ i, y: (i < 20 ? 1 : 0) as 0 | 1 }));
    const a = stratifiedSplit(rows, 0.3, 7);
    expect(a.test.filter((r) => r.y === 1)).toHaveLength(6);
    expect(a.test).toHaveLength(30);
    expect(stratifiedSplit(rows, 0.3, 7).test.map((r) => r.i)).toEqual(a.test.map((r) => r.i));
  });
});

describe('Naive Bayes', () => {
  it('separates two Gaussian blobs and uses binary evidence', () => {
    const rng = seededRandom(3);
    const ex = Array.from({ length: 400 }, (_, i) => {
      const y = (i % 2) as 0 | 1;
      return { x: { a: (y ? 2 : 0) + rng.next(), b: rng.chance(y ? 0.8 : 0.1) ? 1 : 0 }, y };
    });
    const m = fitNaiveBayes(ex, ['a'], ['b']);
    expect(predictNaiveBayes(m, { a: 2.5, b: 1 })).toBeGreaterThan(0.95);
    expect(predictNaiveBayes(m, { a: 0.5, b: 0 })).toBeLessThan(0.05);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('mass outages', () => {
  it('counts one outage per burst of falla tickets in a zone', () => {
    const t = (min: number, zone = 'Centro'): Incident =>
      ({ folio: `F${min}${zone}`, createdAt: new Date(NOW.getTime() + min * 60_000).toISOString(), updatedAt: '', type: 'falla', status: 'abierto', priority: 'alta', zone }) as Incident;
    const events = massOutageEvents([t(0), t(10), t(20), t(30), t(500), t(0, 'Norte'), t(5, 'Norte')], { threshold: 3, windowMinutes: 60 });
    expect(events.get('Centro')).toHaveLength(1);
    expect(events.get('Norte')).toHaveLength(0);
  });
});

/** 400 customers; the cancelled ones have more faults, overdue balances and cancellation requests. */
async function syntheticStore(count: number, cancelledShare: number, seed = 11) {
  const rng = seededRandom(seed);
  const store = openLocalStore({ file: ':memory:', columnAliases: config().sheet.columnAliases, clock: () => new Date(NOW.getTime() - 20 * 86_400_000) });
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const churned = rng.chance(cancelledShare);
    const overdue = rng.chance(churned ? 0.6 : 0.15);
    customers.push(
      customer(`C${i + 1}`, {
        status: churned ? 'cancelado' : 'activo',
        signupDate: `20${rng.int(churned ? 25 : 20, 25)}-0${rng.int(1, 9)}-10`,
        balance: overdue ? 450 : 0,
        dueDate: overdue ? `2026-0${rng.int(2, 4)}-10` : '2026-06-10',
      }),
    );
  }
  await store.upsertCustomers(customers);
  for (const c of customers) {
    const churned = c.status === 'cancelado';
    for (let k = rng.int(0, churned ? 4 : 1); k > 0; k--) await store.createIncident({ type: 'falla', priority: rng.chance(churned ? 0.6 : 0.2) ? 'alta' : 'media', customerId: c.id, zone: c.zone });
    if (rng.chance(churned ? 0.5 : 0.05)) await store.createIncident({ type: 'cancelacion', priority: 'media', customerId: c.id });
  }
  return store;
}

describe('trainChurn', () => {
  it('recovers a known signal from a synthetic history (held-out AUC well above 0.5) and stores the scores', async () => {
    const store = await syntheticStore(400, 0.25);
    const kv = createMemoryKeyValue();
    const report = await trainChurn({ config: config(), store, kv, clock: () => NOW }, { seed: 5 });
    expect(report.model).toBe('naive_bayes');
    expect(report.cancelled).toBeGreaterThanOrEqual(20);
    expect(report.heldOut!.auc).toBeGreaterThanOrEqual(0.75);
    expect(report.heldOut!.recall).toBeGreaterThan(0.5);
    expect(report.scored).toBe(report.customers - report.cancelled);
    const active = (await store.listCustomers()).find((c) => c.status === 'activo')!;
    expect(await getChurnScore(kv, active.id)).toMatchObject({ model: 'naive_bayes', score: expect.any(Number) });
    // Same seed, same figures.
    expect((await trainChurn({ config: config(), store, kv, clock: () => NOW }, { seed: 5 })).heldOut).toEqual(report.heldOut);
    await store.close();
  });

  it('falls back to the rules with no (or too little) history', async () => {
    const store = openLocalStore({ file: ':memory:' });
    await store.upsertCustomers([customer('A', { signupDate: '2020-01-10' }), customer('B', { signupDate: '2026-05-01', balance: 450, dueDate: '2026-03-10' })]);
    await store.createIncident({ type: 'cancelacion', priority: 'media', customerId: 'B' });
    const kv = createMemoryKeyValue();
    const report = await trainChurn({ config: config(), store, kv, clock: () => NOW });
    expect(report).toMatchObject({ model: 'rules', cancelled: 0, scored: 2 });
    expect(report.heldOut).toBeUndefined();
    const a = (await getChurnScore(kv, 'A'))!.score;
    const b = (await getChurnScore(kv, 'B'))!.score;
    expect(b).toBeGreaterThan(0.5);
    expect(a).toBeLessThan(0.2);
    await store.close();
  });
});
