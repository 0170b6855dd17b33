/**
 * What a written message may say about one customer (pure): the facts Gemini gets for a campaign
 * message, and the amounts a message may mention (the customer's price and balance, the plan
 * prices, numbers in the retention offer). A hash of the facts tells whether a stored draft was
 * written for the customer as they are now.
 */
import { createHash } from 'node:crypto';
import type { IspConfig } from '../../config/schema.ts';
import { formatMoney } from '../../domain/catalog.ts';
import { formatDueDate } from '../../domain/customerService.ts';
import { tenureMonths } from '../../domain/retention.ts';
import type { Customer } from '../../sheets/records.ts';
import type { Profile } from '../campaigns/profiles.ts';

export interface MessageFacts {
  nombre: string;
  proveedor: string;
  perfil: Profile;
  plan?: { nombre: string; mbps: number; precio_mensual: string };
  antiguedad_meses?: number;
  saldo_pendiente?: string;
  fecha_de_pago?: string;
  oferta?: string;
  planes: { nombre: string; mbps: number; precio_mensual: string }[];
  formas_de_pago: string[];
}

export function messageFacts(config: IspConfig, customer: Customer, profile: Profile, today: string, offer?: string): MessageFacts {
  const money = (n: number) => formatMoney(n, config.isp.currency);
  const plan = config.plans.find((p) => p.mbps === customer.planMbps);
  const tenure = tenureMonths(customer.signupDate, today);
  const due = customer.dueDate ? formatDueDate(customer.dueDate) : undefined;
  return {
    nombre: customer.name.split(/\s+/)[0] ?? customer.name,
    proveedor: config.isp.name,
    perfil: profile,
    ...(plan ? { plan: { nombre: plan.name, mbps: plan.mbps, precio_mensual: money(customer.price ?? plan.price) } } : {}),
    ...(tenure !== undefined ? { antiguedad_meses: tenure } : {}),
    ...(customer.balance && customer.balance > 0 ? { saldo_pendiente: money(customer.balance) } : {}),
    ...(due ? { fecha_de_pago: due } : {}),
    ...(offer ? { oferta: offer } : {}),
    planes: config.plans.map((p) => ({ nombre: p.name, mbps: p.mbps, precio_mensual: money(p.price) })),
    formas_de_pago: config.payments.methods,
  };
}

/** The amounts a message about these facts may mention: prices, the balance, numbers in the offer. */
export function allowedAmounts(facts: MessageFacts): string[] {
  return [facts.plan?.precio_mensual, facts.saldo_pendiente, facts.oferta, ...facts.planes.map((p) => p.precio_mensual)].filter((v): v is string => v !== undefined);
}

export const factsHash = (facts: MessageFacts): string => createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
