import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRecord } from './rowCodec.ts';
import type { Customer, Incident } from './records.ts';

const row = (over: Record<string, string> = {}) => ({ ID: 'C-1', Nombre: 'Ana', Teléfono: '5512345678', Zona: 'Centro', ...over });

describe('rowCodec', () => {
  it('decodes a full customer row, with defaults for empty optional cells', () => {
    const { records, issues } = decodeRows('Clientes', [
      row({ Colonia: ' La Merced ', 'Plan (Mbps)': '50', Precio: '$450.00', Estado: 'Suspendida', 'Fecha de alta': '12/04/2023', 'Fecha de corte': '05-02-2025', Saldo: '1,350', Telegram: '987', Notas: '=no es fórmula' }),
      row({ ID: 'C-2' }),
    ]);
    expect(issues).toEqual([]);
    expect(records[0]).toEqual<Customer>({
      id: 'C-1', name: 'Ana', phone: '525512345678', zone: 'Centro', colonia: 'La Merced', planMbps: 50, price: 450, status: 'suspendido',
      signupDate: '2023-04-12', dueDate: '2025-02-05', balance: 1350, telegramId: '987', notes: '=no es fórmula',
    });
    expect(records[1]).toEqual({ id: 'C-2', name: 'Ana', phone: '525512345678', zone: 'Centro', status: 'activo' });
  });

  it('reports every bad cell of a row with its sheet row number and header, and keeps good rows', () => {
    const { records, rowNumbers, issues } = decodeRows('Clientes', [
      row(),
      row({ ID: 'C-2', Celular: '', Teléfono: 'n/a', Saldo: 'x', Estado: 'vacaciones' }),
      row({ ID: 'C-3' }),
    ]);
    expect(records.map((r) => r.id)).toEqual(['C-1', 'C-3']);
    expect(rowNumbers).toEqual([2, 4]);
    expect(issues.map((i) => i.row)).toEqual([3, 3, 3]);
    expect(issues.map((i) => i.message.split(':')[0])).toEqual(['Teléfono', 'Estado', 'Saldo']);
  });

  it('uses the sheet header in messages and honours firstRow', () => {
    const { issues } = decodeRows('Clientes', [{ ID: 'C-1', Nombre: 'A', Celular: '12', Zona: 'Sur' }], { firstRow: 10 });
    expect(issues).toEqual([{ tab: 'Clientes', row: 10, message: expect.stringMatching(/^Celular: teléfono no válido "12"/) }]);
  });

  it('skips blank rows silently and reports repeated ids', () => {
    const { records, issues } = decodeRows('Clientes', [row(), { ID: '', Nombre: ' ', Teléfono: '', Zona: '' }, row({ Nombre: 'Otra' })]);
    expect(records).toHaveLength(1);
    expect(issues).toEqual([{ tab: 'Clientes', row: 4, message: 'ID: "C-1" repetido (ya está en la fila 2)' }]);
  });

  it('reports missing required columns once, on row 1', () => {
    const { records, issues } = decodeRows('Incidentes', [{ Folio: 'F-1', Tipo: 'falla' }]);
    expect(records).toEqual([]);
    expect(issues).toEqual([{ tab: 'Incidentes', row: 1, message: 'faltan columnas requeridas: Fecha' }]);
  });

  it('decodes incidents with enum spellings, timestamps and defaults', () => {
    const { records, issues } = decodeRows('Incidentes', [
      { Ticket: 'F-000009', Fecha: '10/01/2025 09:15', Tipo: 'Cambio de plan', Estado: '', Prioridad: '', Categoría: '' },
      { Ticket: 'F-000010', Fecha: '2025-01-11T00:00:00Z', Tipo: 'falla', Categoría: 'Sin internet', Desde: '2025-01-10T20:00:00Z', Estado: 'En proceso', Prioridad: 'ALTA' },
      { Ticket: 'F-000011', Fecha: '2025-01-11', Tipo: 'queja' },
    ]);
    expect(records[0]).toEqual<Incident>({
      folio: 'F-000009', createdAt: '2025-01-10T15:15:00.000Z', updatedAt: '2025-01-10T15:15:00.000Z', type: 'cambio_plan', status: 'abierto', priority: 'media',
    });
    expect(records[1]).toMatchObject({ category: 'sin_internet', status: 'en_proceso', priority: 'alta', since: '2025-01-10T20:00:00.000Z' });
    expect(issues).toEqual([{ tab: 'Incidentes', row: 4, message: expect.stringMatching(/^Tipo: valor no reconocido "queja"/) }]);
  });

  it('encodes records to canonical headers and decodes them back unchanged', () => {
    const incident: Incident = {
      folio: 'F-000001', createdAt: '2025-01-10T15:15:00.000Z', updatedAt: '2025-01-11T10:00:00.000Z', type: 'falla', status: 'cerrado', priority: 'alta',
      customerId: 'C-1', name: 'Ana', phone: '525512345678', zone: 'Centro', category: 'lento', since: '2025-01-09T00:00:00.000Z', description: '+ lento', channel: 'whatsapp', notes: '@técnico',
    };
    const encoded = encodeRecord('Incidentes', incident);
    expect(encoded).toMatchObject({ Folio: 'F-000001', Categoría: 'lento', Descripción: '+ lento', Notas: '@técnico' });
    expect(decodeRows('Incidentes', [encoded]).records).toEqual([incident]);
    const customer: Customer = { id: 'C-1', name: 'Ana', phone: '525512345678', zone: 'Centro', status: 'activo', balance: -50.5 };
    const row = encodeRecord('Clientes', customer);
    expect(row).toMatchObject({ Saldo: '-50.5', Colonia: '', Telegram: '' });
    expect(decodeRows('Clientes', [row]).records).toEqual([customer]);
  });
});
