import { describe, expect, it } from 'vitest';
import { COLUMNS, mapHeaders, normalizeHeader, tabHeaders, unknownAliasFields } from './columns.ts';
import type { Customer, Incident, Prospect } from './records.ts';

describe('columns', () => {
  it('has the canonical Spanish headers in order', () => {
    expect(tabHeaders('Clientes')).toEqual([
      'ID', 'Nombre', 'Teléfono', 'Zona', 'Colonia', 'Plan (Mbps)', 'Precio', 'Estado', 'Fecha de alta', 'Fecha de corte', 'Saldo', 'Telegram', 'Notas', 'Riesgo',
    ]);
    expect(tabHeaders('Incidentes')).toEqual([
      'Folio', 'Fecha', 'Actualizado', 'Tipo', 'Estado', 'Prioridad', 'ID Cliente', 'Nombre', 'Teléfono', 'Zona', 'Categoría', 'Desde', 'Descripción', 'Canal', 'Notas',
    ]);
    expect(tabHeaders('Prospectos')).toEqual(['ID', 'Fecha', 'Nombre', 'Teléfono', 'Zona', 'Colonia', 'Plan (Mbps)', 'Precio', 'Canal', 'Estado', 'Notas']);
  });

  it('covers every record field exactly once', () => {
    const fields = (tab: keyof typeof COLUMNS) => COLUMNS[tab].map((c) => c.field).sort();
    const customer: Required<Customer> = { id: '', name: '', phone: '', zone: '', colonia: '', planMbps: 0, price: 0, status: 'activo', signupDate: '', dueDate: '', balance: 0, telegramId: '', notes: '', churnScore: 0 };
    const incident: Required<Incident> = {
      folio: '', createdAt: '', updatedAt: '', type: 'falla', status: 'abierto', priority: 'alta', customerId: '', name: '', phone: '', zone: '', category: 'otro', since: '', description: '', channel: '', notes: '',
    };
    const prospect: Required<Prospect> = { id: '', createdAt: '', name: '', phone: '', zone: '', colonia: '', planMbps: 0, price: 0, channel: '', status: 'nuevo', notes: '' };
    expect(fields('Clientes')).toEqual(Object.keys(customer).sort());
    expect(fields('Incidentes')).toEqual(Object.keys(incident).sort());
    expect(fields('Prospectos')).toEqual(Object.keys(prospect).sort());
  });

  it('normalises header text ignoring accents, case, spaces and punctuation', () => {
    expect(normalizeHeader(' Teléfono ')).toBe('telefono');
    expect(normalizeHeader('PLAN (MBPS)')).toBe('planmbps');
    expect(normalizeHeader('No. de reporte')).toBe('nodereporte');
    expect(normalizeHeader('Año')).toBe('ano');
  });

  it('maps canonical headers, built-in and config aliases, and reports extras', () => {
    const m = mapHeaders('Clientes', ['id', 'CLIENTE', 'Celular', 'zona de servicio', 'Barrio', 'Megas', 'Color favorito', ''], {
      Clientes: { name: ['Cliente'] },
    });
    expect(m.headerOf).toEqual({ id: 'id', name: 'CLIENTE', phone: 'Celular', zone: 'zona de servicio', colonia: 'Barrio', planMbps: 'Megas' });
    expect(m.missing).toEqual([]);
    expect(m.extra).toEqual(['Color favorito']);
  });

  it('prefers the canonical header over an alias and leaves the other column as extra', () => {
    const m = mapHeaders('Clientes', ['Celular', 'ID', 'Nombre', 'Teléfono', 'Zona']);
    expect(m.headerOf.phone).toBe('Teléfono');
    expect(m.extra).toEqual(['Celular']);
  });

  it('names the missing required columns by their canonical header', () => {
    expect(mapHeaders('Clientes', ['Nombre', 'Notas']).missing).toEqual(['ID', 'Teléfono', 'Zona']);
    expect(mapHeaders('Incidentes', ['Ticket', 'Fecha']).missing).toEqual(['Tipo']);
    expect(mapHeaders('Prospectos', []).missing).toEqual(['ID', 'Fecha', 'Nombre', 'Teléfono']);
  });

  it('flags config aliases for fields that do not exist', () => {
    expect(unknownAliasFields({ Clientes: { phone: ['Tel'], telefono: ['x'] }, Prospectos: { plan: ['y'] } })).toEqual(['Clientes.telefono', 'Prospectos.plan']);
  });
});
