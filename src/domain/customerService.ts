import type { Actor } from '../core/types.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { CustomerStatus } from '../sheets/records.ts';
import { isoDateIn } from './businessHours.ts';
import { findPlan } from './catalog.ts';

/** A customer's own service, as they may see it. */
export interface MyService {
  customerId: string;
  name: string;
  zone: string;
  planMbps?: number;
  planName?: string;
  /** Monthly price: the row's price, else the plan's price from config. */
  price?: number;
  status: CustomerStatus;
  /** ISO date (YYYY-MM-DD). */
  dueDate?: string;
  balance?: number;
  openTickets: number;
}

/**
 * The actor's own service. Reads only the row of `actor.customerId` (set by actor resolution
 * from an identity the channel vouches for); never takes an id or phone from what the user typed.
 * Undefined for anyone who is not an identified customer.
 */
export async function getMyService(deps: Pick<FlowDeps, 'config' | 'store'>, actor: Actor): Promise<MyService | undefined> {
  if (actor.role !== 'customer' || !actor.customerId) return undefined;
  const customer = await deps.store.getCustomer(actor.customerId);
  if (!customer || customer.id !== actor.customerId) return undefined;
  const plan = findPlan(deps.config, customer.planMbps);
  const open = await deps.store.listIncidents({ customerId: customer.id, status: 'open' });
  const price = customer.price ?? plan?.price;
  return {
    customerId: customer.id,
    name: customer.name,
    zone: customer.zone,
    status: customer.status,
    openTickets: open.filter((i) => i.customerId === customer.id).length,
    ...(customer.planMbps !== undefined ? { planMbps: customer.planMbps } : {}),
    ...(plan ? { planName: plan.name } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(customer.dueDate ? { dueDate: customer.dueDate } : {}),
    ...(customer.balance !== undefined ? { balance: customer.balance } : {}),
  };
}

/** "2026-03-15" → "15 de marzo" (es-MX); undefined for a malformed date. */
export function formatDueDate(iso: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toLocaleDateString('es-MX', { day: 'numeric', month: 'long', timeZone: 'UTC' });
}

/** A due date as the customer should read it: `text` is the date ("16 de noviembre"); `past` once the day has gone by. */
export interface DueDescription {
  /** The day is before today (in the ISP's timezone): it is overdue, not "next". */
  past: boolean;
  /** The day is today. */
  isToday: boolean;
  /** "16 de noviembre" (es-MX). */
  text: string;
}

/**
 * Whether a due date (YYYY-MM-DD) is past, today or ahead, seen from `today` in `timezone`, with the
 * date in words. Undefined for a malformed date. Render it with "Venció el {text}" / "Vence el {text}".
 */
export function describeDue(dueDate: string, today: Date, timezone: string): DueDescription | undefined {
  const text = formatDueDate(dueDate);
  if (!text) return undefined;
  const todayIso = isoDateIn(today, timezone);
  return { past: dueDate < todayIso, isToday: dueDate === todayIso, text };
}
