/**
 * `launcher outreach train`: features for every customer from the store, label = status `cancelado`,
 * a seeded stratified 70/30 split, Naive Bayes fitted on the training part and measured on the held-out
 * part (precision, recall at the risk threshold, AUC), then refitted on everything. With fewer than
 * `outreach.churn.minCancelled` cancelled customers the rule-based score is used instead. The model
 * and each active customer's score are kept in the KV (`outreach:churn:*`), and the score (two
 * decimals) goes to the `Riesgo` column of Clientes through the store, so staff see it — only the
 * rows whose score changed are written (on Google, one batched write of those cells).
 */
import type { IspConfig } from '../../config/schema.ts';
import type { Customer } from '../../sheets/records.ts';
import type { Store } from '../../sheets/store.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { localDate } from '../calendar.ts';
import { buildFeatureContext, customerFeatures, type ChurnFeatures } from './features.ts';
import { auc, precisionRecall, stratifiedSplit } from './metrics.ts';
import { churnScore, fitChurnModel, type ChurnModel } from './model.ts';

export interface ChurnDeps {
  config: IspConfig;
  store: Store;
  kv: KeyValueStore;
  clock: () => Date;
}

export interface TrainReport {
  model: 'naive_bayes' | 'rules';
  customers: number;
  cancelled: number;
  /** Held-out metrics (Naive Bayes only). */
  heldOut?: { size: number; precision: number; recall: number; auc: number };
  scored: number;
  atRisk: number;
  /** Customers whose `Riesgo` cell was written (the score changed). */
  written: number;
}

export interface StoredScore {
  score: number;
  model: ChurnModel['kind'];
  at: string;
}

const MODEL_KEY = 'outreach:churn:model';
const scoreKey = (id: string) => `outreach:churn:score:${id}`;

export async function loadFeatures(deps: ChurnDeps): Promise<{ id: string; status: string; f: ChurnFeatures; customer: Customer }[]> {
  const now = deps.clock();
  const today = localDate(now, deps.config.isp.timezone);
  const [customers, incidents] = await Promise.all([deps.store.listCustomers(), deps.store.listIncidents()]);
  const ctx = buildFeatureContext(incidents, now, today, deps.config.incidents.massOutage);
  return customers.map((c) => ({ id: c.id, status: c.status, f: customerFeatures(c, ctx), customer: c }));
}

/** The score as the sheet shows it. */
export const columnScore = (score: number): number => Math.round(score * 100) / 100;

/** Fits (or falls back), reports held-out metrics, and stores the model and every live customer's score. */
export async function trainChurn(deps: ChurnDeps, options: { seed?: number; testShare?: number } = {}): Promise<TrainReport> {
  const rows = (await loadFeatures(deps)).map((r) => ({ ...r, y: (r.status === 'cancelado' ? 1 : 0) as 0 | 1 }));
  const cancelled = rows.filter((r) => r.y === 1).length;
  const { minCancelled, riskThreshold } = deps.config.outreach.churn;
  let model: ChurnModel = { kind: 'rules' };
  let heldOut: TrainReport['heldOut'];
  if (cancelled >= minCancelled && rows.length - cancelled >= minCancelled) {
    const { train, test } = stratifiedSplit(rows, options.testShare ?? 0.3, options.seed ?? 42);
    const trial = fitChurnModel(train);
    const scores = test.map((r) => churnScore(trial, r.f));
    const labels = test.map((r) => r.y);
    heldOut = { size: test.length, ...precisionRecall(scores, labels, riskThreshold), auc: auc(scores, labels) };
    model = fitChurnModel(rows);
  }
  const at = deps.clock().toISOString();
  await deps.kv.set(MODEL_KEY, { model, at });
  let scored = 0;
  let atRisk = 0;
  const changed: Customer[] = [];
  for (const r of rows) {
    if (r.status === 'cancelado') continue;
    const score = churnScore(model, r.f);
    const stored: StoredScore = { score, model: model.kind, at };
    await deps.kv.set(scoreKey(r.id), stored);
    scored++;
    if (score >= riskThreshold) atRisk++;
    if (r.customer.churnScore !== columnScore(score)) changed.push({ ...r.customer, churnScore: columnScore(score) });
  }
  if (changed.length) await deps.store.upsertCustomers(changed);
  return { model: model.kind, customers: rows.length, cancelled, ...(heldOut ? { heldOut } : {}), scored, atRisk, written: changed.length };
}

export async function getChurnScore(kv: KeyValueStore, customerId: string): Promise<StoredScore | undefined> {
  return kv.get<StoredScore>(scoreKey(customerId));
}
