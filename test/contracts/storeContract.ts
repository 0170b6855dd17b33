/**
 * The Store contract: what every adapter of the three tabs (local SQLite, Google Sheets, …) must
 * do, exercised only through the Store port. Each test gets a fresh, empty store opened with the
 * shipped config's `sheet.columnAliases` (config/isp.yaml).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer, NewIncident } from '../../src/sheets/records.ts';
import type { Store } from '../../src/sheets/store.ts';

export interface StoreHarness {
  store: Store;
  /** Closes nothing; opens another Store on the same data (a restart). Durable adapters only. */
  reopen?(): Promise<Store>;
  cleanup?(): Promise<void>;
}

export interface StoreCapabilities {
  durable?: boolean;
}

export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: 'C-001',
  name: 'María José Hernández',
  phone: '525512345678',
  zone: 'Centro',
  colonia: 'La Merced',
  planMbps: 50,
  price: 450,
  status: 'activo',
  signupDate: '2023-04-12',
  dueDate: '2025-02-05',
  balance: 0,
  ...over,
});

const falla = (over: Partial<NewIncident> = {}): NewIncident => ({
  type: 'falla',
  priority: 'alta',
  category: 'sin_internet',
  customerId: 'C-001',
  name: 'María José Hernández',
  phone: '525512345678',
  zone: 'Centro',
  description: 'No tengo internet desde la mañana',
  channel: 'whatsapp',
  ...over,
});

const incidentRow = (folio: string, fecha: string, over: Record<string, string> = {}): Record<string, string> => ({
  Folio: folio,
  Fecha: fecha,
  Tipo: 'falla',
  Estado: 'abierto',
  Prioridad: 'media',
  'ID Cliente': 'C-001',
  Teléfono: '5512345678',
  Zona: 'Centro',
  ...over,
});

export function describeStoreContract(name: string, makeHarness: () => Promise<StoreHarness>, caps: StoreCapabilities = {}): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    const others: Store[] = [];
    const reopen = async () => {
      if (!h.reopen) throw new Error('durable harness without reopen()');
      await store.close();
      const next = await h.reopen();
      others.push(next);
      return next;
    };

    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store.close();
      await h.cleanup?.();
    });

    it('starts empty and clean', async () => {
      expect(await store.listCustomers()).toEqual([]);
      expect(await store.listIncidents()).toEqual([]);
      expect(await store.listProspects()).toEqual([]);
      expect(await store.getCustomer('C-001')).toBeUndefined();
      expect(await store.getIncident('F-000001')).toBeUndefined();
      expect(await store.rowIssues()).toEqual([]);
    });

    it('upserts customers by id and reads them back unchanged', async () => {
      await store.upsertCustomers([customer(), customer({ id: 'C-002', name: 'Ramón Núñez', phone: '523312345678', zone: 'Norte' })]);
      await store.upsertCustomers([customer({ balance: 450, status: 'suspendido' })]);
      const all = await store.listCustomers();
      expect(all.map((c) => c.id).sort()).toEqual(['C-001', 'C-002']);
      expect(await store.getCustomer('C-001')).toEqual(customer({ balance: 450, status: 'suspendido' }));
    });

    it('finds a customer by phone in 521 / 52 / 10-digit / formatted forms', async () => {
      await store.upsertCustomers([customer({ phone: '5512345678' }), customer({ id: 'C-002', phone: '+52 1 33 1234 5678' })]);
      for (const form of ['525512345678', '5215512345678', '+52 1 55 1234 5678', '5512345678', '(55) 1234-5678']) {
        expect((await store.findCustomerByPhone(form))?.id, form).toBe('C-001');
      }
      expect((await store.findCustomerByPhone('33 1234 5678'))?.id).toBe('C-002');
      expect((await store.getCustomer('C-002'))?.phone).toBe('523312345678');
      expect(await store.findCustomerByPhone('8112345678')).toBeUndefined();
      expect(await store.findCustomerByPhone('hola')).toBeUndefined();
    });

    it('finds a customer by Telegram id', async () => {
      await store.upsertCustomers([customer({ telegramId: '987654321' }), customer({ id: 'C-002', phone: '523312345678' })]);
      expect((await store.findCustomerByTelegramId('987654321'))?.id).toBe('C-001');
      expect(await store.findCustomerByTelegramId('111')).toBeUndefined();
    });

    it('creates incidents with unique F-###### folios, timestamps and status abierto', async () => {
      const first = await store.createIncident(falla());
      expect(first.folio).toMatch(/^F-\d{6}$/);
      expect(first.status).toBe('abierto');
      expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt);
      expect(first.updatedAt).toBe(first.createdAt);
      expect(await store.getIncident(first.folio)).toEqual(first);
      const more = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createIncident(falla({ description: `reporte ${i}` }))));
      const folios = [first, ...more].map((i) => i.folio);
      expect(new Set(folios).size).toBe(21);
      expect(await store.listIncidents()).toHaveLength(21);
    });

    it('never hands out a folio or prospect id that an imported row already uses', async () => {
      const imported = await store.importRows('Incidentes', [incidentRow('F-000001', '2025-01-10'), incidentRow('F-000002', '2025-01-11')]);
      expect(imported).toEqual({ imported: 2, issues: [] });
      const created = await store.createIncident(falla());
      expect(['F-000001', 'F-000002']).not.toContain(created.folio);
      await store.importRows('Prospectos', [{ ID: 'P-000001', Fecha: '2025-01-10', Nombre: 'Lupita', Teléfono: '5512345678' }]);
      expect((await store.createProspect({ name: 'Otro', phone: '5587654321' })).id).not.toBe('P-000001');
    });

    it.runIf(caps.durable)('keeps folios unique across a restart', async () => {
      const before = [await store.createIncident(falla()), await store.createIncident(falla())].map((i) => i.folio);
      const again = await reopen();
      const after = await again.createIncident(falla());
      expect(before).not.toContain(after.folio);
      expect(Number(after.folio.slice(2))).toBeGreaterThan(Math.max(...before.map((f) => Number(f.slice(2)))));
      expect((await again.listIncidents()).map((i) => i.folio).sort()).toEqual([...before, after.folio].sort());
    });

    it('creates prospects with unique P-###### ids and status nuevo', async () => {
      const a = await store.createProspect({ name: 'Lupita Ríos', phone: '55 8765 4321', zone: 'Sur', planMbps: 20, channel: 'telegram' });
      const b = await store.createProspect({ name: 'Ángel Ruiz', phone: '4441234567', status: 'lista_espera', notes: 'San Pedro' });
      expect(a.id).toMatch(/^P-\d{6}$/);
      expect(b.id).not.toBe(a.id);
      expect(a.status).toBe('nuevo');
      expect(a.phone).toBe('525587654321');
      expect(await store.listProspects()).toEqual([a, b]);
    });

    it('keeps formula-looking text as text, unchanged, including on export', async () => {
      const texts = ['=HYPERLINK("http://x","clic")', '+52 gratis', '-baja ya', '@todos revisen'];
      await store.upsertCustomers([customer({ name: texts[0], notes: texts[1], colonia: texts[3] })]);
      const inc = await store.createIncident(falla({ description: texts[2], notes: texts[0] }));
      expect(await store.getCustomer('C-001')).toMatchObject({ name: texts[0], notes: texts[1], colonia: texts[3] });
      expect(await store.getIncident(inc.folio)).toMatchObject({ description: texts[2], notes: texts[0] });
      const [row] = await store.exportRows('Clientes');
      expect(row).toMatchObject({ Nombre: texts[0], Notas: texts[1], Colonia: texts[3] });
      const [irow] = await store.exportRows('Incidentes');
      expect(irow).toMatchObject({ Descripción: texts[2], Notas: texts[0] });
    });

    it('imports with header aliases, normalising phones and dates, ignoring extra columns', async () => {
      const result = await store.importRows('Clientes', [
        { 'ID ': 'C-10', Cliente: 'Ana Pérez', Celular: '55 1234 5678', ZONA: 'Norte', Colonia: 'Las Palmas', Plan: '50 Mbps', 'Fecha de pago': '05/02/2025', 'Color favorito': 'azul' },
        { 'ID ': 'C-11', Cliente: 'Luis Ávila', Celular: '+52 1 81 1234 5678', ZONA: 'Sur', Colonia: '', Plan: '20', 'Fecha de pago': '2025-02-10', 'Color favorito': '' },
      ]);
      expect(result).toEqual({ imported: 2, issues: [] });
      expect(await store.getCustomer('C-10')).toEqual({
        id: 'C-10', name: 'Ana Pérez', phone: '525512345678', zone: 'Norte', colonia: 'Las Palmas', planMbps: 50, dueDate: '2025-02-05', status: 'activo',
      });
      expect((await store.findCustomerByPhone('8112345678'))?.name).toBe('Luis Ávila');
      const other = await store.importRows('Clientes', [{ ID: 'C-12', Nombre: 'Eva', Teléfono: '3312345678', Zona: 'Oriente', 'fecha de alta': '31-12-2024' }]);
      expect(other.issues).toEqual([]);
      expect(await store.getCustomer('C-12')).toMatchObject({ phone: '523312345678', signupDate: '2024-12-31' });
      const exported = await store.exportRows('Clientes');
      expect(Object.keys(exported[0] ?? {})).not.toContain('Color favorito');
    });

    it('reports bad rows with their sheet row numbers and imports the rest', async () => {
      const good = (id: string) => ({ ID: id, Nombre: `Cliente ${id}`, Teléfono: '5512345678', Zona: 'Centro' });
      const result = await store.importRows('Clientes', [
        good('C-1'),
        { ...good('C-2'), Teléfono: '123' },
        { ...good('C-3'), 'Fecha de alta': '31/02/2024' },
        { ...good('C-4'), Estado: 'vacaciones' },
        { ...good('C-5'), Saldo: 'mucho' },
        { ...good('C-6'), Nombre: '' },
        good('C-7'),
      ]);
      expect(result.imported).toBe(2);
      expect(result.issues.map((i) => [i.tab, i.row])).toEqual([
        ['Clientes', 3],
        ['Clientes', 4],
        ['Clientes', 5],
        ['Clientes', 6],
        ['Clientes', 7],
      ]);
      expect(result.issues[0]?.message).toMatch(/Teléfono/);
      expect(result.issues[1]?.message).toMatch(/Fecha de alta/);
      expect((await store.listCustomers()).map((c) => c.id).sort()).toEqual(['C-1', 'C-7']);
    });

    it('imports nothing and names the missing required columns', async () => {
      const result = await store.importRows('Clientes', [{ ID: 'C-1', Nombre: 'Sin teléfono', Zona: 'Centro' }]);
      expect(result.imported).toBe(0);
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]).toMatchObject({ tab: 'Clientes', row: 1 });
      expect(result.issues[0]?.message).toContain('Teléfono');
      expect(await store.listCustomers()).toEqual([]);
    });

    it('re-importing an export changes nothing', async () => {
      await store.upsertCustomers([customer(), customer({ id: 'C-002', notes: '=1+1', balance: -50 })]);
      await store.createIncident(falla());
      for (const tab of ['Clientes', 'Incidentes'] as const) {
        const rows = await store.exportRows(tab);
        expect(await store.importRows(tab, rows)).toEqual({ imported: rows.length, issues: [] });
        expect(await store.exportRows(tab)).toEqual(rows);
      }
      expect(await store.listCustomers()).toHaveLength(2);
    });

    it('updates one incident and leaves the others alone', async () => {
      const a = await store.createIncident(falla());
      const b = await store.createIncident(falla({ type: 'pago', category: undefined, priority: 'media' }));
      const updated = await store.updateIncident(a.folio, { status: 'en_proceso', notes: 'Técnico asignado' });
      expect(updated).toMatchObject({ folio: a.folio, status: 'en_proceso', notes: 'Técnico asignado', description: a.description, createdAt: a.createdAt });
      expect(updated!.updatedAt >= a.updatedAt).toBe(true);
      expect(await store.getIncident(a.folio)).toEqual(updated);
      expect(await store.getIncident(b.folio)).toEqual(b);
      expect(await store.updateIncident('F-999999', { status: 'cerrado' })).toBeUndefined();
    });

    it('lists incidents newest first, in reverse creation order', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await store.createIncident(falla({ description: `n${i}` })));
      expect((await store.listIncidents()).map((i) => i.folio)).toEqual(created.map((i) => i.folio).reverse());
    });

    it('filters incidents by status (open = abierto|en_proceso), type, customer, phone, zone and date', async () => {
      const result = await store.importRows('Incidentes', [
        incidentRow('F-000001', '2025-01-01T10:00:00Z', { Estado: 'cerrado' }),
        incidentRow('F-000002', '2025-02-01T10:00:00Z', { Estado: 'en proceso', Tipo: 'pago' }),
        incidentRow('F-000003', '2025-03-01T10:00:00Z', { 'ID Cliente': 'C-002', Teléfono: '3312345678', Zona: 'Norte' }),
        incidentRow('F-000004', '2025-03-05T10:00:00Z', { Tipo: 'cambio de plan', Zona: 'Norte' }),
      ]);
      expect(result.issues).toEqual([]);
      const folios = async (q: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.folio);
      expect(await folios({})).toEqual(['F-000004', 'F-000003', 'F-000002', 'F-000001']);
      expect(await folios({ status: 'open' })).toEqual(['F-000004', 'F-000003', 'F-000002']);
      expect(await folios({ status: 'cerrado' })).toEqual(['F-000001']);
      expect(await folios({ type: 'pago' })).toEqual(['F-000002']);
      expect(await folios({ type: 'cambio_plan' })).toEqual(['F-000004']);
      expect(await folios({ customerId: 'C-002' })).toEqual(['F-000003']);
      expect(await folios({ phone: '+52 1 33 1234 5678' })).toEqual(['F-000003']);
      expect(await folios({ zone: 'Norte', status: 'open' })).toEqual(['F-000004', 'F-000003']);
      expect(await folios({ createdSince: '2025-02-01T10:00:00.000Z' })).toEqual(['F-000004', 'F-000003', 'F-000002']);
      expect(await folios({ createdSince: '2025-03-02T00:00:00Z', zone: 'Centro' })).toEqual([]);
    });

    it('exports rows keyed by the canonical headers in column order', async () => {
      await store.upsertCustomers([customer({ telegramId: '42' })]);
      const [row] = await store.exportRows('Clientes');
      expect(Object.keys(row ?? {})).toEqual([
        'ID', 'Nombre', 'Teléfono', 'Zona', 'Colonia', 'Plan (Mbps)', 'Precio', 'Estado', 'Fecha de alta', 'Fecha de corte', 'Saldo', 'Telegram', 'Notas', 'Riesgo',
      ]);
      expect(row).toMatchObject({ ID: 'C-001', Teléfono: '525512345678', 'Plan (Mbps)': '50', Precio: '450', Saldo: '0', Telegram: '42', Notas: '' });
    });
  });
}
