/**
 * The ISP's own sheet as it is: headers spelled their way, columns in their order, extra columns
 * of their own, a few bad rows. Columns are found by header text; extra columns are never
 * touched; bad rows are reported with their row numbers while the rest keeps working.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSheet, inspectSheet, sheetsApiFromEnv, tabTitles } from '../../src/sheets/google/sheetSetup.ts';
import { tabHeaders } from '../../src/sheets/columns.ts';
import { standardTabs, startSheetsFixture, type SheetsFixture } from './support.ts';

let fx: SheetsFixture;
beforeAll(async () => {
  fx = await startSheetsFixture();
});
afterAll(async () => fx?.close());

const api = (id: string) => sheetsApiFromEnv(fx.env(id), pino({ level: 'silent' }), { timeoutMs: 5000, maxAttempts: 1 });

// Their order, their spellings (Celular, Teléfono, Colonia, Mensualidad…), and "Vendedor", a column of theirs.
const clientes = [
  ['No. de cliente', 'Nombre completo', 'Celular', 'Colonia', 'ZONA', 'Plan', 'Mensualidad', 'Vendedor', 'Fecha de pago', 'Adeudo'],
  ['C-1', 'Ana López', '55 1234 5678', 'Las Flores', 'Sur', '50 Mbps', '$450.00', 'Jorge', '05/03/2026', '0'],
  ['C-2', 'Beto Ruiz', '(33) 1234-5678', 'Centro', 'Centro', '20', 'mucho', 'Jorge', '2026-03-10', '0'],
  ['C-3', 'Caro Méndez', '+52 1 81 1234 5678', 'Mitras', 'Norte', '100', '600', 'Lupe', '31/02/2026', '0'],
  ['C-4', 'Dani Soto', '4441234567', 'San Pedro', 'Oriente', '100', '600', 'Lupe', '2026-03-20', '150'],
];
const incidentes = [['Ticket', 'Fecha de reporte', 'Tipo', 'Estatus', 'Teléfono', 'Zona', 'Descripción', 'Técnico']];

describe('an existing sheet with renamed headers and extra columns', () => {
  it('reads through the aliases and reports the bad rows by number; the rest works', async () => {
    const id = fx.sheet({ Clientes: clientes, Incidentes: incidentes, Prospectos: [tabHeaders('Prospectos')] });
    const store = fx.open(id);
    expect((await store.findCustomerByPhone('5512345678'))).toMatchObject({ id: 'C-1', colonia: 'Las Flores', price: 450, dueDate: '2026-03-05', planMbps: 50 });
    expect((await store.findCustomerByPhone('8112345678'))?.id).toBeUndefined(); // row 4 has an impossible date
    expect((await store.getCustomer('C-4'))?.balance).toBe(150);
    const issues = await store.rowIssues();
    expect(issues.map((i) => [i.tab, i.row])).toEqual([
      ['Clientes', 3],
      ['Clientes', 4],
    ]);
    expect(issues[0]?.message).toMatch(/^Mensualidad: cantidad no válida "mucho"/);
    expect(issues[1]?.message).toMatch(/^Fecha de pago: fecha no válida/);
    await store.close();
  });

  it('writes under their headers and never touches their own columns', async () => {
    const id = fx.sheet({ Clientes: clientes, Incidentes: incidentes, Prospectos: [tabHeaders('Prospectos')] });
    const store = fx.open(id);
    const ana = (await store.getCustomer('C-1'))!;
    await store.upsertCustomers([{ ...ana, balance: 450, notes: 'sin columna de notas' }]);
    const ticket = await store.createIncident({ type: 'falla', priority: 'alta', phone: '5512345678', zone: 'Sur', description: 'sin señal' });
    await store.flush();
    const sheet = fx.emulator.spreadsheet(id);
    // Only the Adeudo cell of Ana's row changed; Vendedor and the formatted Mensualidad are as they were.
    expect(sheet.text('Clientes')[1]).toEqual(['C-1', 'Ana López', '55 1234 5678', 'Las Flores', 'Sur', '50 Mbps', '$450.00', 'Jorge', '05/03/2026', '450']);
    expect(sheet.text('Clientes').slice(2)).toEqual(clientes.slice(2));
    // The ticket went under Ticket / Fecha de reporte / Tipo / Estatus / Teléfono / Zona / Descripción; Técnico left empty.
    const [row] = sheet.text('Incidentes').slice(1);
    expect(row?.slice(0, 1)).toEqual([ticket.folio]);
    expect(row?.slice(2)).toEqual(['falla', 'abierto', '525512345678', 'Sur', 'sin señal']);
    expect(new Date(row![1]!).toISOString()).toBe(ticket.createdAt);
    // A reader sees the same thing from the sheet alone.
    const reader = fx.open(id);
    expect(await reader.getIncident(ticket.folio)).toMatchObject({ folio: ticket.folio, type: 'falla', status: 'abierto', phone: '525512345678', description: 'sin señal' });
    expect((await reader.getCustomer('C-1'))?.balance).toBe(450);
    await Promise.all([store.close(), reader.close()]);
  });

  it('a tab missing required columns is reported by name; the other tabs keep working', async () => {
    const id = fx.sheet({ ...standardTabs(), Clientes: [['ID', 'Nombre', 'Celular'], ['C-1', 'Ana', '5512345678']] });
    const store = fx.open(id);
    expect(await store.rowIssues()).toEqual([{ tab: 'Clientes', row: 1, message: 'faltan columnas requeridas: Zona' }]);
    expect(await store.listCustomers()).toEqual([]);
    const p = await store.createProspect({ name: 'Lupita', phone: '5587654321' });
    await store.flush();
    expect(fx.emulator.spreadsheet(id).text('Prospectos')[1]?.[0]).toBe(p.id);
    const report = await inspectSheet(api(id), tabTitles(fx.config), fx.config.sheet.columnAliases);
    expect(report.tabs.find((t) => t.tab === 'Clientes')).toMatchObject({ exists: true, missingRequired: ['Zona'] });
    // A customer write waits (in the outbox) until the column exists…
    await store.upsertCustomers([{ id: 'C-9', name: 'Nuevo', phone: '5511112222', zone: 'Sur', status: 'activo' }]);
    expect((await store.flush()).failed).toBe(1);
    // …and lands once `sheets init` has added it.
    await initSheet(api(id), tabTitles(fx.config), fx.config.sheet.columnAliases);
    await store.flush();
    expect(fx.emulator.spreadsheet(id).text('Clientes')[2]?.slice(0, 4)).toEqual(['C-9', 'Nuevo', '525511112222', 'Sur']);
    await store.close();
  });
});

describe('sheets init', () => {
  it('creates missing tabs and header cells after the existing ones, without touching data', async () => {
    const id = fx.sheet({ Clientes: clientes, Notas: [['lo que sea']] });
    const result = await initSheet(api(id), tabTitles(fx.config), fx.config.sheet.columnAliases);
    expect(result.createdTabs).toEqual(['Incidentes', 'Prospectos', 'Notificaciones']);
    const sheet = fx.emulator.spreadsheet(id);
    expect(sheet.titles()).toEqual(['Clientes', 'Notas', 'Incidentes', 'Prospectos', 'Notificaciones']);
    expect(sheet.text('Clientes')[0]).toEqual([...clientes[0]!, 'Estado', 'Fecha de alta', 'Telegram', 'Notas', 'Riesgo']);
    expect(sheet.text('Notificaciones')).toEqual([['ID', 'Fecha', 'ID Cliente', 'Canal', 'Campaña', 'Mensaje', 'ID del proveedor', 'Estado', 'Error']]);
    expect(sheet.text('Clientes').slice(1)).toEqual(clientes.slice(1));
    expect(sheet.text('Incidentes')).toEqual([tabHeaders('Incidentes')]);
    expect(sheet.text('Notas')).toEqual([['lo que sea']]);
    expect(result.report.tabs.every((t) => t.missingRequired.length === 0 && t.missingOptional.length === 0)).toBe(true);
    // Running it again changes nothing.
    const again = await initSheet(api(id), tabTitles(fx.config), fx.config.sheet.columnAliases);
    expect(again).toMatchObject({ createdTabs: [], addedHeaders: [] });
  });

  it('honours configured tab names', async () => {
    const config = structuredClone(fx.config);
    config.sheet.tabs.customers = 'Mis clientes';
    const id = fx.sheet({});
    config.outreach.notifications.sheetTab = 'Avisos enviados';
    await initSheet(api(id), tabTitles(config), config.sheet.columnAliases, config.outreach.notifications.sheetTab);
    expect(fx.emulator.spreadsheet(id).titles()).toEqual(['Mis clientes', 'Incidentes', 'Prospectos', 'Avisos enviados']);
    const store = fx.open(id, { config });
    await store.upsertCustomers([{ id: 'C-1', name: 'Ana', phone: '5512345678', zone: 'Sur', status: 'activo' }]);
    await store.flush();
    expect(fx.emulator.spreadsheet(id).text('Mis clientes')[1]?.slice(0, 4)).toEqual(['C-1', 'Ana', '525512345678', 'Sur']);
    await store.close();
  });
});
