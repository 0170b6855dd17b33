import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/loadConfig.ts';
import { normalizePhone } from '../core/phone.ts';
import { decodeRows, encodeRecord } from '../sheets/rowCodec.ts';
import { generateDemoData, isDemo } from './demoGenerator.ts';

const config = loadConfig(join(import.meta.dirname, '../../config/isp.yaml'));
const now = new Date('2025-06-15T18:00:00Z');
const data = generateDemoData(config, { seed: 7, now });
const DAY = 86_400_000;

describe('generateDemoData', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoData(config, { seed: 7, now })).toEqual(data);
    expect(generateDemoData(config, { seed: 8, now }).customers[0]).not.toEqual(data.customers[0]);
  });

  it('makes ~500 customers, 50 incidents and 20 prospects by default, all marked DEMO', () => {
    expect(data.customers).toHaveLength(500);
    expect(data.incidents).toHaveLength(50);
    expect(data.prospects).toHaveLength(20);
    for (const r of [...data.customers, ...data.incidents, ...data.prospects]) expect(isDemo(r.notes), JSON.stringify(r)).toBe(true);
    expect(new Set(data.customers.map((c) => c.id)).size).toBe(500);
    expect(data.customers.every((c) => /^DEMO-\d{4}$/.test(c.id))).toBe(true);
    expect(generateDemoData(config, { seed: 1, now, customers: 30 }).customers).toHaveLength(30);
  });

  it('covers every zone and plan, with prices from the config', () => {
    expect(new Set(data.customers.map((c) => c.zone))).toEqual(new Set(config.zones.map((z) => z.name)));
    expect(new Set(data.customers.map((c) => c.planMbps))).toEqual(new Set(config.plans.map((p) => p.mbps)));
    for (const c of data.customers) expect(c.price).toBe(config.plans.find((p) => p.mbps === c.planMbps)?.price);
  });

  it('uses varied es-MX names, some with accents, and unique valid MX phones', () => {
    const names = data.customers.map((c) => c.name);
    expect(new Set(names).size).toBeGreaterThan(450);
    expect(names.filter((n) => /[áéíóúñÁÉÍÓÚÑ]/.test(n)).length).toBeGreaterThan(100);
    const phones = [...data.customers, ...data.prospects].map((c) => c.phone);
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) {
      expect(p).toMatch(/^52\d{10}$/);
      expect(normalizePhone(p.slice(2))).toBe(p);
    }
    expect(new Set(phones.map((p) => p.slice(2, 4))).size).toBeGreaterThan(5);
  });

  it('spreads signups over 3 years, mostly activo, some overdue with a balance', () => {
    const today = now.toISOString().slice(0, 10);
    const earliest = new Date(now.getTime() - 3 * 366 * DAY).toISOString().slice(0, 10);
    for (const c of data.customers) {
      expect(c.signupDate! >= earliest && c.signupDate! <= today).toBe(true);
      expect(c.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const years = new Set(data.customers.map((c) => c.signupDate!.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(3);
    const count = (s: string) => data.customers.filter((c) => c.status === s).length;
    expect(count('activo')).toBeGreaterThan(380);
    expect(count('suspendido')).toBeGreaterThan(20);
    expect(count('cancelado')).toBeGreaterThan(5);
    const overdue = data.customers.filter((c) => c.status !== 'cancelado' && c.dueDate! < today);
    expect(overdue.length).toBeGreaterThan(40);
    for (const c of overdue) expect(c.balance).toBeGreaterThan(0);
    for (const c of data.customers.filter((c) => c.status === 'activo' && c.dueDate! >= today)) expect(c.balance).toBe(0);
  });

  it('makes incidents of every type, linked to demo customers, with consistent timestamps', () => {
    expect(new Set(data.incidents.map((i) => i.type))).toEqual(new Set(['falla', 'pago', 'cambio_plan', 'cancelacion', 'retencion', 'humano']));
    const ids = new Set(data.customers.map((c) => c.id));
    for (const i of data.incidents) {
      expect(ids.has(i.customerId!)).toBe(true);
      expect(i.updatedAt >= i.createdAt).toBe(true);
      expect(i.createdAt <= now.toISOString()).toBe(true);
      expect(i.description!.length).toBeGreaterThan(10);
      if (i.type === 'falla') expect(i.priority).toBe(config.incidents.priority[i.category!]);
    }
    expect(new Set(data.incidents.map((i) => i.status)).size).toBe(3);
  });

  it('makes prospects in and out of coverage', () => {
    expect(data.prospects.some((p) => p.status === 'lista_espera' && p.zone === undefined)).toBe(true);
    expect(data.prospects.some((p) => p.zone !== undefined)).toBe(true);
  });

  it('produces rows that pass the sheet validation unchanged', () => {
    const customers = decodeRows('Clientes', data.customers.map((c) => encodeRecord('Clientes', c)));
    expect(customers.issues).toEqual([]);
    expect(customers.records).toEqual(data.customers);
    const incidents = data.incidents.map((i, n) => ({ ...i, folio: `F-${n}` }));
    const decoded = decodeRows('Incidentes', incidents.map((i) => encodeRecord('Incidentes', i)));
    expect(decoded.issues).toEqual([]);
    expect(decoded.records).toEqual(incidents);
  });
});
