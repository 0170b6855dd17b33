/**
 * The staff-call list: customers due something today — a billing reminder, or a retention offer
 * (churn score at or above the threshold) — whom no configured channel reaches (no telegramId, and
 * WhatsApp off or no phone). They get a call from the staff instead; the list is printed by
 * `launcher outreach calls` and can be written as CSV.
 */
import { formatMoney } from '../domain/catalog.ts';
import { chooseChannel, type AvailableChannels } from './channels/choice.ts';
import { localDate } from './calendar.ts';
import { isOptedOut } from './optOut.ts';
import { dueReminders } from './reminders.ts';
import { planRetentionOffers, type OfferDeps } from './retention/offers.ts';
import type { Customer } from '../sheets/records.ts';

export interface StaffCall {
  customer: Customer;
  reason: 'recordatorio' | 'oferta';
  /** What to tell them: the amount and due date, or the offer. */
  detail: string;
}

export async function planStaffCalls(deps: OfferDeps, available: AvailableChannels): Promise<StaffCall[]> {
  const today = localDate(deps.clock(), deps.config.isp.timezone);
  const calls: StaffCall[] = [];
  const unreachable = (c: Customer) => chooseChannel(c, available) === 'none';
  for (const customer of await deps.store.listCustomers()) {
    if (!unreachable(customer) || (await isOptedOut(deps.kv, customer.id))) continue;
    for (const r of dueReminders(customer, today, deps.config.outreach.reminders.offsetsDays)) {
      const when = r.offset < 0 ? `vence el ${r.dueDate}` : r.offset === 0 ? 'vence hoy' : `vencido desde el ${r.dueDate}`;
      calls.push({ customer, reason: 'recordatorio', detail: `${formatMoney(customer.balance ?? 0, deps.config.isp.currency)}, ${when}` });
    }
  }
  for (const row of await planRetentionOffers(deps, available)) {
    if (row.channel !== 'none' || (await isOptedOut(deps.kv, row.customer.id))) continue;
    calls.push({ customer: row.customer, reason: 'oferta', detail: row.offer ?? 'sin oferta de la tabla: escuchar y canalizar' });
  }
  return calls;
}

const csvCell = (v: string): string => {
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function staffCallsCsv(calls: readonly StaffCall[]): string {
  const rows = [['ID', 'Nombre', 'Teléfono', 'Zona', 'Motivo', 'Detalle']];
  for (const c of calls) rows.push([c.customer.id, c.customer.name, c.customer.phone, c.customer.zone, c.reason, c.detail]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
