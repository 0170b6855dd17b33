import { normalizePhone } from '../core/phone.ts';
import type { Actor, ChannelName, InboundMessage } from '../core/types.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { Customer } from '../sheets/records.ts';
import { linkKey } from './actors.ts';

/**
 * Finding whose account a conversation is about. Two strengths:
 * - verified: the channel vouches (actor.customerId, or the user's own contact shared on Telegram);
 * - referenced: a phone or customer number typed in the chat. It lets someone file a ticket for
 *   that account, and nothing else: never link the chat and never show that account's data.
 */

/** The verified actor's own customer row. */
export async function verifiedCustomer(deps: FlowDeps, actor: Actor): Promise<Customer | undefined> {
  if (!actor.customerId) return undefined;
  const customer = await deps.store.getCustomer(actor.customerId);
  return customer && customer.status !== 'cancelado' ? customer : undefined;
}

const canonId = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Digits of a phone-looking run in the text ("55 1234 5678", "+52 1 55…"). */
function phoneIn(text: string): string | undefined {
  const run = /\+?\d[\d\s().-]{6,}\d/.exec(text)?.[0];
  return run && run.replace(/\D/g, '').length >= 10 ? run : undefined;
}

/**
 * The account a typed phone or customer number ("C-0001", any id of the Clientes tab) points at.
 * Cancelled accounts do not count. The caller must not reveal anything about the account.
 */
export async function findCustomerByReference(deps: FlowDeps, text: string, phoneEntity?: string): Promise<Customer | undefined> {
  const usable = (c: Customer | undefined): Customer | undefined => (c && c.status !== 'cancelado' ? c : undefined);
  const phone = phoneEntity ?? phoneIn(text);
  if (phone) {
    const normalized = normalizePhone(phone, deps.config.isp.defaultCountry);
    const byPhone = normalized ? usable(await deps.store.findCustomerByPhone(normalized)) : undefined;
    if (byPhone) return byPhone;
  }
  const candidates = new Set([canonId(text), ...text.split(/[\s,;:]+/).map(canonId)].filter((t) => t.length >= 2 && /\d/.test(t)));
  if (candidates.size === 0) return undefined;
  const exact = usable(await deps.store.getCustomer(text.trim()));
  if (exact) return exact;
  const customers = await deps.store.listCustomers();
  return usable(customers.find((c) => candidates.has(canonId(c.id))));
}

/** True when the text could be a phone or customer number (has digits). */
export const looksLikeReference = (text: string): boolean => /\d/.test(text);

/**
 * The user shared their own contact with Telegram's "share my number": when it matches a customer,
 * the chat is linked to that customer for the next turns. Only Telegram vouches that a shared
 * contact is the sender's own; a contact card on WhatsApp or the console is just a typed number.
 * Returns the customer, or undefined when the contact is not vouched for or matches nobody.
 */
export async function linkSharedContact(
  deps: Pick<FlowDeps, 'config' | 'store' | 'kv'>,
  actor: Actor,
  channel: ChannelName,
  contact: NonNullable<InboundMessage['contact']>,
): Promise<Customer | undefined> {
  if (channel !== 'telegram' || !contact.own || actor.role === 'staff') return undefined;
  const normalized = normalizePhone(contact.phone, deps.config.isp.defaultCountry);
  const customer = normalized ? await deps.store.findCustomerByPhone(normalized) : undefined;
  if (!customer || customer.status === 'cancelado') return undefined;
  const userId = actor.key.startsWith(`${channel}:`) ? actor.key.slice(channel.length + 1) : actor.key;
  await deps.kv.set(linkKey(channel, userId), customer.id);
  return customer;
}

/** The actor as it will be resolved from now on, once the contact has been linked. */
export const asVerified = (actor: Actor, customer: Customer): Actor => ({
  role: 'customer',
  key: actor.key,
  customerId: customer.id,
  phone: customer.phone,
  name: customer.name,
});
