/**
 * Staff edit the sheet by hand while the bot runs: they insert rows, sort the tab, change cells.
 * Rows are found by id when written, and a row that moves between our read and our write is
 * detected and repaired: our change lands on our row and the row we wrote over gets its cells back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabHeaders } from '../../src/sheets/columns.ts';
import type { Cell } from '../emulators/sheets/grid.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

// Folio, Fecha, Actualizado, Tipo, Estado, Prioridad, ID Cliente, Nombre, Teléfono, Zona, Categoría, Desde, Descripción, Canal, Notas
const ticket = (folio: string, day: string, notes = ''): Cell[] => [folio, `2026-03-${day}T10:00:00.000Z`, '', 'falla', 'abierto', 'media', '', '', '', 'Sur', '', '', `reporte ${folio}`, 'whatsapp', notes];
const sheetWithTickets = () => fx.sheet({ ...standardTabs(), Incidentes: [tabHeaders('Incidentes'), ticket('F-000001', '01', 'nota 1'), ticket('F-000002', '02', 'nota 2'), ticket('F-000003', '03', 'nota 3')] });
const byFolio = (id: string) => new Map(fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => [r[0], r]));
const STATUS = 4;
const NOTES = 14;

describe('staff editing the sheet while the bot writes', () => {
  it('a row inserted above ours between our read and our write: our change lands on our row, nothing else changes', async () => {
    const id = sheetWithTickets();
    const store = fx.open(id);
    await store.listIncidents();
    const staffRow = ticket('F-000900', '05', 'escrito a mano');
    // Right before our write reaches Google, staff insert a row at the top.
    fx.emulator.before({ times: 1, match: (r) => r.op === 'values.batchUpdate' && r.spreadsheetId === id, run: (s) => s.insertRow('Incidentes', 2, staffRow) });
    const updated = await store.updateIncident('F-000002', { status: 'en_proceso', notes: 'Técnico asignado' });
    expect(updated).toMatchObject({ status: 'en_proceso', notes: 'Técnico asignado' });
    await store.flush();

    const rows = byFolio(id);
    expect(rows.size).toBe(4);
    expect(rows.get('F-000002')?.[STATUS]).toBe('en_proceso');
    expect(rows.get('F-000002')?.[NOTES]).toBe('Técnico asignado');
    expect(rows.get('F-000001')).toEqual(ticket('F-000001', '01', 'nota 1'));
    expect(rows.get('F-000003')).toEqual(ticket('F-000003', '03', 'nota 3'));
    expect(rows.get('F-000900')).toEqual(staffRow);
    // One write, then the repair (restore + our row) in a second one.
    expect(fx.emulator.log.filter((r) => r.spreadsheetId === id && r.op === 'values.batchUpdate')).toHaveLength(2);
    await store.close();
  });

  it('the tab sorted by hand between our read and our write: same repair', async () => {
    const id = sheetWithTickets();
    const store = fx.open(id);
    await store.listIncidents();
    fx.emulator.before({ times: 1, match: (r) => r.op === 'values.batchUpdate' && r.spreadsheetId === id, run: (s) => s.sortRows('Incidentes', 0, true) });
    await store.updateIncident('F-000001', { status: 'cerrado' });
    await store.flush();
    const rows = byFolio(id);
    expect(rows.get('F-000001')?.[STATUS]).toBe('cerrado');
    expect(rows.get('F-000002')?.[STATUS]).toBe('abierto');
    expect(rows.get('F-000003')?.[STATUS]).toBe('abierto');
    expect(fx.emulator.spreadsheet(id).text('Incidentes').slice(1).map((r) => r[0])).toEqual(['F-000003', 'F-000002', 'F-000001']);
    await store.close();
  });

  it('rows inserted while our read is cached: the row is found by id when writing, not by the cached position', async () => {
    const id = sheetWithTickets();
    const store = fx.open(id);
    await store.listIncidents(); // cached: F-000003 is row 4
    fx.emulator.spreadsheet(id).insertRow('Incidentes', 2, ticket('F-000901', '06'));
    fx.emulator.spreadsheet(id).insertRow('Incidentes', 2, ticket('F-000902', '07'));
    await store.updateIncident('F-000003', { priority: 'alta' });
    await store.flush();
    const rows = byFolio(id);
    expect(rows.get('F-000003')?.[5]).toBe('alta');
    for (const f of ['F-000001', 'F-000002', 'F-000901', 'F-000902']) expect(rows.get(f)?.[5]).toBe('media');
    await store.close();
  });

  it('a cell staff changed is not overwritten by an unrelated change of ours', async () => {
    const id = sheetWithTickets();
    const store = fx.open(id);
    await store.listIncidents();
    fx.emulator.spreadsheet(id).sheet('Incidentes').rows[1]![5] = 'alta'; // staff raise the priority of F-000001
    await store.updateIncident('F-000001', { notes: 'cliente llamó' });
    await store.flush();
    expect(byFolio(id).get('F-000001')?.slice(5, 6)).toEqual(['alta']);
    expect(byFolio(id).get('F-000001')?.[NOTES]).toBe('cliente llamó');
    await store.close();
  });
});
