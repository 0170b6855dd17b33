/**
 * A small, known data set for the staff operations (stats, search, finance), shared by the
 * domain and the conversation tests. "Today" is 2026-03-10 (the harness clock, Mexico City).
 *
 *   active 6 (Norte 3, Sur 2, Centro 1; 20 Mbps 2, 50 Mbps 3, 100 Mbps 1) · suspended 1 · cancelled 1
 *   MRR $2,600 (20: $650, 50: $1,350, 100: $600; Norte $1,500, Sur $750, Centro $350) · ARPU $433.33
 *   overdue 3 accounts, $2,700 (Oriente $1,350 = 50 %, Sur $900, Norte $450)
 *   due this week (03-10…03-16, active): 3 customers, $1,250
 *   open tickets 5 (alta 1, media 3, baja 1; falla 4, pago 1); failure reports Norte 3, Sur 1
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/loadConfig.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import type { Customer, NewIncident, NewProspect } from '../../src/sheets/records.ts';
import type { Store } from '../../src/sheets/store.ts';

/** The shipped config, without building the whole app (domain tests). */
export const staffConfig = (): IspConfig => loadConfig(fileURLToPath(new URL('../../config/isp.yaml', import.meta.url)));

/** A customer row with the same defaults as the harness's `customer()`. */
export function customer(over: Partial<Customer> & Pick<Customer, 'id' | 'name' | 'phone'>): Customer {
  return { zone: 'Norte', planMbps: 50, price: 450, status: 'activo', signupDate: '2024-01-15', dueDate: '2026-03-15', balance: 0, ...over };
}

export const STAFF_CUSTOMERS: Customer[] = [
  customer({ id: 'C-001', name: 'José Hernández', phone: '5512340001', zone: 'Norte', planMbps: 50, price: 450, dueDate: '2026-03-05', balance: 450 }),
  customer({ id: 'C-002', name: 'María López', phone: '5512340002', zone: 'Norte', planMbps: 100, price: 600, dueDate: '2026-03-12' }),
  customer({ id: 'C-003', name: 'Juan Pérez', phone: '5512340003', zone: 'Centro', planMbps: 20, price: 350, dueDate: '2026-03-15' }),
  // No price in the sheet: the 50 Mbps plan's $450 from config applies.
  { ...customer({ id: 'C-004', name: 'Ana García', phone: '5512340004', zone: 'Sur', planMbps: 50, dueDate: '2026-03-01', balance: 900 }), price: undefined },
  // Due today: not overdue yet.
  customer({ id: 'C-005', name: 'Pedro Ramírez', phone: '5512340005', zone: 'Sur', planMbps: 20, price: 300, dueDate: '2026-03-10', balance: 300 }),
  customer({ id: 'C-006', name: 'Luisa Martínez', phone: '5512340006', zone: 'Oriente', planMbps: 50, price: 450, status: 'suspendido', dueDate: '2026-02-20', balance: 1350 }),
  customer({ id: 'C-007', name: 'Carlos Sánchez', phone: '5512340007', zone: 'Centro', planMbps: 100, price: 600, status: 'cancelado', dueDate: '2026-01-10' }),
  customer({ id: 'C-008', name: 'Rosa Hernández', phone: '5512340008', zone: 'Norte', planMbps: 50, price: 450, dueDate: '2026-03-20' }),
];

export const STAFF_INCIDENTS: NewIncident[] = [
  { type: 'falla', priority: 'alta', customerId: 'C-001', zone: 'Norte', category: 'sin_internet' },
  // No zone on the row: the customer's (Norte) counts.
  { type: 'falla', priority: 'media', customerId: 'C-002', category: 'lento' },
  { type: 'falla', priority: 'media', zone: 'Norte', name: 'Vecino', category: 'intermitente' },
  { type: 'falla', priority: 'baja', customerId: 'C-004', zone: 'Sur', category: 'otro' },
  { type: 'pago', priority: 'media', customerId: 'C-005', zone: 'Sur' },
  { type: 'humano', priority: 'baja', customerId: 'C-003', zone: 'Centro', status: 'cerrado' },
];

export const STAFF_PROSPECTS: NewProspect[] = [
  { name: 'Laura Prospecto', phone: '5598760001', zone: 'Sur', planMbps: 50 },
  { name: 'Raúl Espera', phone: '5598760002', status: 'lista_espera', notes: 'San Pedro' },
];

/** Incidents and prospects (the harness loads the customers through its `customers` option). */
export async function seedActivity(store: Store): Promise<void> {
  for (const i of STAFF_INCIDENTS) await store.createIncident(i);
  for (const p of STAFF_PROSPECTS) await store.createProspect(p);
}

export async function seedStaffData(store: Store): Promise<void> {
  await store.upsertCustomers(STAFF_CUSTOMERS);
  await seedActivity(store);
}
