/**
 * Billing reminders: for each customer with a balance, one message per billing cycle and offset
 * (days from the due date, `outreach.reminders.offsetsDays`), never twice — the claim is a KV
 * `setIfAbsent` (Redis SET NX when configured) kept 400 days, so restarts and several instances
 * agree. The cycle is the day of month of the customer's `dueDate` (31 → 30 April, 28/29 February),
 * counted from that date onwards, with "today" in the ISP's time zone.
 */
import { formatDueDate } from '../domain/customerService.ts';
import { formatMoney } from '../domain/catalog.ts';
import type { Customer } from '../sheets/records.ts';
import { addDays, cycleDueDate, isIsoDate, localDate } from './calendar.ts';
import { isOptedOut } from './optOut.ts';
import { inQuietHours } from './quietHours.ts';
import { failedChannel } from './sender.ts';
import type { OutreachDeps } from './deps.ts';

export interface DueReminder {
  offset: number;
  /** The due date of the cycle the reminder is about (YYYY-MM-DD). */
  dueDate: string;
}

/**
 * The reminders due `today` for a customer (pure): for each offset, the cycle due date it would be
 * about is `today − offset`; it counts when that day is a cycle day of the customer's anchor day and
 * not before the `dueDate` in the sheet (a future due date means earlier cycles are settled).
 */
export function dueReminders(customer: Pick<Customer, 'dueDate' | 'balance' | 'status'>, today: string, offsets: readonly number[]): DueReminder[] {
  if (customer.status === 'cancelado' || !customer.balance || customer.balance <= 0 || !isIsoDate(customer.dueDate)) return [];
  const sheetDue = customer.dueDate;
  const anchor = Number(sheetDue.slice(8, 10));
  const out: DueReminder[] = [];
  for (const offset of offsets) {
    const target = addDays(today, -offset);
    if (target >= sheetDue && cycleDueDate(anchor, target.slice(0, 7)) === target) out.push({ offset, dueDate: target });
  }
  return out;
}

/** Per sender kind, so a console rehearsal never blocks the real send. */
export const reminderKey = (sender: string, customerId: string, r: DueReminder) => `outreach:reminder:${sender}:${customerId}:${r.dueDate}:${r.offset}`;
const CLAIM_TTL_MS = 400 * 86_400_000;

export type ReminderDeps = OutreachDeps;

export interface ReminderRun {
  quietHours: boolean;
  sent: number;
  alreadySent: number;
  optedOut: number;
  failed: number;
  /** Customers due a reminder whom no configured channel reaches: a staff call (nothing claimed). */
  staffCalls: string[];
  /** What was (or, in a dry run, would be) sent: customer id, offset, cycle due date. */
  items: { customerId: string; offset: number; dueDate: string }[];
}

export function reminderText(deps: Pick<ReminderDeps, 'config' | 'msg'>, customer: Customer, r: DueReminder): string {
  const kind = r.offset < 0 ? 'before' : r.offset === 0 ? 'today' : 'overdue';
  return deps.msg.t(`outreach.reminder.${kind}`, {
    name: customer.name.split(/\s+/)[0] ?? customer.name,
    amount: formatMoney(customer.balance ?? 0, deps.config.isp.currency),
    isp: deps.config.isp.name,
    due: formatDueDate(r.dueDate) ?? r.dueDate,
    methods: deps.config.payments.methods.map((m) => `• ${m}`).join('\n'),
  });
}

/** One pass over the customers: sends what is due today and not yet claimed. Safe to run often and in parallel. */
export async function runReminders(deps: ReminderDeps, options: { dryRun?: boolean } = {}): Promise<ReminderRun> {
  const now = deps.clock();
  const { timezone } = deps.config.isp;
  const run: ReminderRun = { quietHours: false, sent: 0, alreadySent: 0, optedOut: 0, failed: 0, staffCalls: [], items: [] };
  if (!options.dryRun && inQuietHours(now, timezone, deps.config.outreach.quietHours)) return { ...run, quietHours: true };
  const today = localDate(now, timezone);
  const offsets = deps.config.outreach.reminders.offsetsDays;
  for (const customer of await deps.store.listCustomers()) {
    const due = dueReminders(customer, today, offsets);
    if (due.length === 0) continue;
    if (await isOptedOut(deps.kv, customer.id)) {
      run.optedOut += 1;
      continue;
    }
    if (deps.sender.reaches?.(customer) === false) {
      run.staffCalls.push(customer.id);
      continue;
    }
    for (const r of due) {
      const item = { customerId: customer.id, offset: r.offset, dueDate: r.dueDate };
      if (options.dryRun) {
        if ((await deps.kv.get(reminderKey(deps.sender.kind, customer.id, r))) === undefined) run.items.push(item);
        else run.alreadySent += 1;
        continue;
      }
      const key = reminderKey(deps.sender.kind, customer.id, r);
      if (!(await deps.kv.setIfAbsent(key, { at: now.toISOString() }, CLAIM_TTL_MS))) {
        run.alreadySent += 1;
        continue;
      }
      const text = reminderText(deps, customer, r);
      const campaign = `recordatorio:${r.offset}`;
      let result: Awaited<ReturnType<typeof deps.sender.send>>;
      try {
        result = await deps.sender.send({ customer, text, campaign });
      } catch (err) {
        // Not sent: release the claim so the next run tries again.
        await deps.kv.delete(key);
        run.failed += 1;
        await deps.log.record({ customerId: customer.id, channel: failedChannel(err, deps.sender), campaign, content: text, status: 'failed', error: (err as Error).message });
        deps.logger?.warn({ err, customerId: customer.id, offset: r.offset }, 'reminder not sent');
        continue;
      }
      // Sent: the claim stays even if logging fails, so the customer never gets it twice.
      run.sent += 1;
      run.items.push(item);
      await deps.log
        .record({ customerId: customer.id, channel: result.channel, campaign, content: text, status: 'sent', ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}) })
        .catch((err: unknown) => deps.logger?.error({ err, customerId: customer.id }, 'reminder sent but not logged'));
    }
  }
  return run;
}
