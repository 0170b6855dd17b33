import type { QuickReply, Reply } from '../core/types.ts';
import { asVerified, findCustomerByReference, linkSharedContact, looksLikeReference, verifiedCustomer } from '../domain/identify.ts';
import { reporterOf, type Reporter } from '../domain/reporter.ts';
import type { Customer } from '../sheets/records.ts';
import { ask, done, retry, type FlowContext, type StepResult } from './flow.ts';
import { intentAction, intentButton, menuButton } from './menu.ts';

/**
 * Identifying the customer inside a flow that files a ticket (falla, pago "ya pagué").
 * A verified actor (or a Telegram user sharing their own contact) is used directly: `own` is their
 * row. Anyone else types a phone or customer number: it is kept as a reference (slot `accountRef`)
 * and NOT looked up while chatting, so the conversation is the same whether it matches a customer
 * or not; the ticket is filed "sin verificar" with the reference and staff check it.
 * Flows that reveal data use `verificationRequired` instead.
 */

export const IDENTIFY_STEP = 'identify';
export const VERIFY_STEP = 'verify';

/** `own`: the verified customer; undefined for a typed reference (behave the same whatever it is). */
export type OnIdentified = (ctx: FlowContext, own: Customer | undefined) => Promise<StepResult> | StepResult;

const MAX_REFERENCE = 80;

export const slotString = (ctx: FlowContext, key: string): string | undefined => {
  const v = ctx.slots[key];
  return typeof v === 'string' ? v : undefined;
};
export const slotNumber = (ctx: FlowContext, key: string): number | undefined => {
  const v = ctx.slots[key];
  return typeof v === 'number' ? v : undefined;
};

/** True once the account is the actor's own, as the channel vouches. */
export const isVerified = (ctx: FlowContext): boolean => ctx.slots.verified === true;

/** Start of identification: the verified customer at once, otherwise ask for a phone or number. */
export async function identify(ctx: FlowContext, onIdentified: OnIdentified, purposeKey = 'falla.identify.ask'): Promise<StepResult> {
  const own = await verifiedCustomer(ctx.deps, ctx.actor);
  if (own) {
    ctx.slots.customerId = own.id;
    ctx.slots.verified = true;
    return onIdentified(ctx, own);
  }
  const { msg } = ctx.deps;
  // Someone who is not a customer says so with a button; we never infer it from a lookup.
  return ask(IDENTIFY_STEP, {
    text: msg.t(purposeKey),
    quickReplies: [{ id: intentAction('registro'), title: msg.t('falla.identify.notCustomer') }, menuButton(msg)],
    ...(ctx.channel === 'telegram' ? { requestContact: true } : {}),
  });
}

/**
 * The answer to `identify`: the user's own contact shared on Telegram (verified), or a typed
 * phone / customer number (a contact card on another channel counts as typed): a reference.
 */
export async function identifyAnswer(ctx: FlowContext, onIdentified: OnIdentified): Promise<StepResult> {
  const { msg } = ctx.deps;
  const { contact } = ctx.input;
  if (contact && ctx.channel === 'telegram' && contact.own) {
    const linked = await linkSharedContact(ctx.deps, ctx.actor, ctx.channel, contact);
    // Their own number, vouched by Telegram: saying it has no account reveals nothing about anyone else.
    if (!linked) return done(noMatch(ctx));
    ctx.slots.customerId = linked.id;
    ctx.slots.verified = true;
    return onIdentified({ ...ctx, actor: asVerified(ctx.actor, linked) }, linked);
  }
  const text = (contact?.phone ?? ctx.input.text).replace(/\s+/g, ' ').trim();
  if (!looksLikeReference(text)) {
    return retry({ text: msg.t('falla.identify.hint'), quickReplies: [{ id: intentAction('registro'), title: msg.t('falla.identify.notCustomer') }, menuButton(msg)] });
  }
  ctx.slots.verified = false;
  ctx.slots.accountRef = text.slice(0, MAX_REFERENCE);
  const phone = contact ? undefined : ctx.input.nlu.entities.phone;
  if (phone) ctx.slots.accountPhone = phone;
  return onIdentified(ctx, undefined);
}

/** Whose account a ticket is about, and who reports it. */
export interface TicketSubject {
  /** The verified customer, or what a typed reference points at; undefined when it points at nothing. */
  customer?: Customer;
  reporter: Reporter;
}

/**
 * Resolved only when the ticket is written, never shown to the user: the verified customer, or
 * the account a typed reference points at. Undefined when a verified account has gone away.
 */
export async function ticketSubject(ctx: FlowContext): Promise<TicketSubject | undefined> {
  const { deps } = ctx;
  if (isVerified(ctx)) {
    const id = slotString(ctx, 'customerId');
    const customer = id ? await deps.store.getCustomer(id) : undefined;
    return customer ? { customer, reporter: reporterOf(ctx.actor, true) } : undefined;
  }
  const reference = slotString(ctx, 'accountRef') ?? '';
  const customer = reference ? await findCustomerByReference(deps, reference, slotString(ctx, 'accountPhone')) : undefined;
  return { ...(customer ? { customer } : {}), reporter: reporterOf(ctx.actor, false, reference) };
}

/** The text an unverified report ends with (the same whatever the reference matched). */
export const pendingNote = (ctx: FlowContext): string => (isVerified(ctx) ? '' : `\n${ctx.deps.msg.t('falla.identify.pending')}`);

function noMatch(ctx: FlowContext): Reply {
  const { msg } = ctx.deps;
  return { text: msg.t('falla.identify.noMatch'), quickReplies: [intentButton(msg, 'registro'), intentButton(msg, 'humano'), menuButton(msg)] };
}

/** What a flow shows an actor it cannot verify here (WhatsApp or the console): its own text and buttons. */
export interface VerificationOptions {
  /** Catalogue key of the explanation (default: the generic "solo al titular" text of the channel). */
  key?: string;
  quickReplies?: QuickReply[];
}

/**
 * For flows that reveal account data (or act on the account) to an actor who is not verified:
 * explain how to be identified and reveal nothing. On Telegram, ask for the user's own contact
 * (step `verify`).
 */
export function verificationRequired(ctx: FlowContext, options: VerificationOptions = {}): StepResult {
  const { msg } = ctx.deps;
  if (ctx.channel === 'telegram') {
    return ask(VERIFY_STEP, { text: msg.t('falla.identify.verifyTelegram'), requestContact: true, quickReplies: [menuButton(msg)] });
  }
  const key = options.key ?? (ctx.channel === 'whatsapp' ? 'falla.identify.verifyWhatsapp' : 'falla.identify.verifyOther');
  return done({ text: msg.t(key), quickReplies: options.quickReplies ?? [intentButton(msg, 'falla'), intentButton(msg, 'humano'), menuButton(msg)] });
}

/** The `verify` step: the user shared their own contact; on a match, `resume` runs as that customer. */
export async function verifyAnswer(ctx: FlowContext, resume: (ctx: FlowContext) => Promise<StepResult> | StepResult): Promise<StepResult> {
  const { msg } = ctx.deps;
  if (!ctx.input.contact) {
    // A typed number is not proof of identity: explain, and keep waiting for the shared contact.
    const key = looksLikeReference(ctx.input.text) ? 'falla.identify.typedNotProof' : 'falla.identify.verifyHint';
    return retry({ text: msg.t(key), requestContact: true, quickReplies: [menuButton(msg)] });
  }
  const linked = await linkSharedContact(ctx.deps, ctx.actor, ctx.channel, ctx.input.contact);
  if (!linked) return done(noMatch(ctx));
  return resume({ ...ctx, actor: asVerified(ctx.actor, linked), input: { ...ctx.input, text: '', action: undefined } });
}
