import type { Messages } from '../config/messages.ts';
import type { Actor } from '../core/types.ts';
import type { Customer, Incident } from '../sheets/records.ts';

/**
 * Who filed a ticket, and whether the account it is about is theirs as the channel vouches.
 * A ticket filed from a typed phone or customer number is "sin verificar": it names the account
 * the reference points at (staff check it), and in the mass-outage count it weighs as its sender,
 * once, however many numbers that sender typed.
 */
export interface Reporter {
  /** The sender: `${channel}:${userId}` (Actor.key). */
  key: string;
  /** The sender's phone, only when the channel vouches for it. */
  phone?: string;
  /** The account is the sender's own (WhatsApp number, Telegram contact, console operator). */
  verified: boolean;
  /** What an unverified sender typed to name the account. */
  reference?: string;
}

export function reporterOf(actor: Actor, verified: boolean, reference?: string): Reporter {
  return {
    key: actor.key,
    verified,
    ...(actor.phone ? { phone: actor.phone } : {}),
    ...(!verified && reference ? { reference } : {}),
  };
}

const who = (msg: Messages, r: Reporter): string => (r.phone ? msg.t('tickets.reporterWithPhone', { key: r.key, phone: r.phone }) : r.key);

/** The first line of a ticket's notes: who reported it and whether the account was verified. */
export function reporterNote(msg: Messages, r: Reporter): string {
  if (r.verified) return msg.t('tickets.reportedVerified', { who: who(msg, r) });
  if (r.reference === undefined) return msg.t('tickets.reportedNoAccount', { who: who(msg, r) });
  return msg.t('tickets.reportedUnverified', { who: who(msg, r), reference: r.reference });
}

/** The account as staff alerts name it, saying when it was not verified (and whether the reference matched). */
export function accountLabel(msg: Messages, customer: Customer | undefined, r: Reporter): string {
  if (r.verified && customer) return msg.t('tickets.account', { name: customer.name, id: customer.id });
  const reference = r.reference ?? '-';
  return customer
    ? msg.t('tickets.accountUnverified', { name: customer.name, id: customer.id, reference })
    : msg.t('tickets.accountNotFound', { reference });
}

const SENTINEL = (name: string): string => `\u0000${name}\u0000`;
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SENDER_KEY = /\b(?:console|telegram|whatsapp):[^\s,;()«»]+/;

/** Reads back `{who}` from a line rendered with the catalogue's unverified-report template. */
function unverifiedLinePattern(msg: Messages): RegExp {
  const rendered = msg.t('tickets.reportedUnverified', { who: SENTINEL('who'), reference: SENTINEL('reference') });
  const source = escapeRegex(rendered).replace(/\u0000(\w+)\u0000/g, '(?<$1>.*?)');
  return new RegExp(`^${source}$`);
}

/** The sender of a ticket filed without verifying the account (its notes' first line says so). */
export function unverifiedSender(msg: Messages, incident: Pick<Incident, 'notes'>): string | undefined {
  const first = incident.notes?.split('\n')[0]?.trim();
  if (!first) return undefined;
  const found = unverifiedLinePattern(msg).exec(first)?.groups?.who;
  return found ? SENDER_KEY.exec(found)?.[0] : undefined;
}

/**
 * Who counts as one reporter of a ticket: its unverified sender, else the (verified) customer,
 * else the phone, else the ticket itself (a row typed by staff without either).
 */
export function reporterIdentity(msg: Messages, incident: Incident): string {
  const sender = unverifiedSender(msg, incident);
  if (sender) return `sender:${sender}`;
  if (incident.customerId) return `customer:${incident.customerId}`;
  return incident.phone ? `phone:${incident.phone}` : `folio:${incident.folio}`;
}
