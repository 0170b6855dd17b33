import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/loadConfig.ts';
import { openLocalStore } from '../sheets/local/localStore.ts';
import type { Store } from '../sheets/store.ts';
import { guardCell, unguardCell } from './csvCells.ts';
import { exportTab, importTabCsv } from './exportImport.ts';

const { columnAliases } = loadConfig(join(import.meta.dirname, '../../config/isp.yaml')).sheet;
const open = () => openLocalStore({ file: ':memory:', columnAliases });

describe('csv cell guard', () => {
  it('quotes formula-looking cells only, and undoes exactly that', () => {
    const cases: [string, string][] = [
      ['=SUMA(A1:A9)', "'=SUMA(A1:A9)"],
      ['+52 gratis', "'+52 gratis"],
      ['-baja', "'-baja"],
      ['@todos', "'@todos"],
      ['\tx', "'\tx"],
      ["'=ya citado", "''=ya citado"],
      ['-150', '-150'],
      ['+52', '+52'],
      ['Juan = Pedro', 'Juan = Pedro'],
      ["O'Brien", "O'Brien"],
      ['', ''],
    ];
    for (const [raw, guarded] of cases) {
      expect(guardCell(raw), raw).toBe(guarded);
      expect(unguardCell(guarded), guarded).toBe(raw);
    }
  });
});

describe('exportTab / importTabCsv', () => {
  let store: Store;
  beforeEach(async () => {
    store = open();
    await store.upsertCustomers([
      { id: 'C-1', name: 'José Núñez', phone: '5512345678', zone: 'Centro', status: 'activo', planMbps: 50, price: 450, balance: -50, notes: '=HYPERLINK("http://x")' },
      { id: 'C-2', name: '@ana, "la jefa"', phone: '3312345678', zone: 'Sur', status: 'suspendido', notes: 'línea 1\nlínea 2' },
    ]);
  });
  afterEach(() => store.close());

  it('exports CSV with a BOM, canonical headers and formula-guarded cells', async () => {
    const csv = await exportTab(store, 'Clientes', 'csv');
    expect(csv.startsWith('\uFEFFID,Nombre,Teléfono,Zona,Colonia,Plan (Mbps),Precio,Estado,')).toBe(true);
    const rows: Record<string, string>[] = parse(csv, { columns: true, bom: true });
    expect(rows[0]).toMatchObject({ ID: 'C-1', Teléfono: '525512345678', Saldo: '-50', Notas: `'=HYPERLINK("http://x")` });
    expect(rows[1]).toMatchObject({ Nombre: `'@ana, "la jefa"`, Notas: 'línea 1\nlínea 2' });
    expect(await store.getCustomer('C-1')).toMatchObject({ notes: '=HYPERLINK("http://x")' });
  });

  it('exports JSON rows keyed by header, text unchanged', async () => {
    const json = JSON.parse(await exportTab(store, 'Clientes', 'json')) as Record<string, string>[];
    expect(json).toEqual(await store.exportRows('Clientes'));
    expect(json[0]?.Notas).toBe('=HYPERLINK("http://x")');
  });

  it('round-trips a CSV export into another store exactly', async () => {
    await store.createIncident({ type: 'falla', priority: 'alta', category: 'lento', description: '-lento en la noche', phone: '5512345678' });
    const other = open();
    for (const tab of ['Clientes', 'Incidentes'] as const) {
      const result = await importTabCsv(other, tab, await exportTab(store, tab, 'csv'));
      expect(result.issues).toEqual([]);
      expect(await other.exportRows(tab)).toEqual(await store.exportRows(tab));
    }
    await other.close();
  });

  it('imports a hand-made CSV with aliases, reporting bad rows by spreadsheet row number', async () => {
    const csv = [
      'No. de cliente,Nombre completo,Celular,Zona,Colonia,Megas,Fecha de pago,Adeudo,Comentario libre',
      'C-10,Ana Pérez,55 8765 4321,Norte,Las Palmas,50 Mbps,05/07/2025,"$1,350",llamar tarde',
      '',
      'C-11,Luis,12,Sur,,20,2025-07-01,0,',
      'C-12,Eva,3387654321,Oriente,,cien,2025-07-01,0,',
      'C-13,Raúl,8187654321,Poniente,La Loma,100,31/06/2025,0,',
      'C-14,Rosa,4441234567,Centro,,20,,,',
    ].join('\r\n');
    const result = await importTabCsv(store, 'Clientes', csv);
    expect(result.imported).toBe(2);
    expect(result.issues.map((i) => i.row)).toEqual([4, 5, 6]); // header = 1, blank line = 3
    expect(result.issues.map((i) => i.message.split(':')[0])).toEqual(['Celular', 'Megas', 'Fecha de pago']);
    expect(await store.getCustomer('C-10')).toEqual({
      id: 'C-10', name: 'Ana Pérez', phone: '525587654321', zone: 'Norte', colonia: 'Las Palmas', planMbps: 50, status: 'activo', dueDate: '2025-07-05', balance: 1350,
    });
    expect(await store.getCustomer('C-14')).toBeDefined();
  });

  it('reports missing required columns', async () => {
    const result = await importTabCsv(store, 'Incidentes', 'Folio,Tipo\nF-1,falla\n');
    expect(result).toEqual({ imported: 0, issues: [{ tab: 'Incidentes', row: 1, message: 'faltan columnas requeridas: Fecha' }] });
  });
});
