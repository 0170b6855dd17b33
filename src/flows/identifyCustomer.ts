import type { Reply } from '../core/types.ts';
import { asVerified, findCustomerByReference, linkSharedContact, looksLikeReference, verifiedCustomer } from '../domain/identify.ts';
import type { Customer } from '../sheets/records.ts';
import { ask, done, retry, type FlowContext, type StepResult } from './flow.ts';
import { intentAction } from './menu.ts';

/**
 * Identifying the customer inside a flow (falla, pago "ya pagué", cancelación).
 * A verified actor is used directly. Anyone else types a phone or customer number: a match lets
 * them file a ticket for that account (slot `customerId`, `verified: false`), nothing more.
 * Flows that reveal data use `verificationRequired` instead.
 */

export const IDENTIFY_STEP = 'identify';
export const VERIFY_STEP = 'verify';

export type OnIdentified = (ctx: FlowContext, customer: Customer, verified: boolean) => Promise<StepResult> | StepResult;

const button = (ctx: FlowContext, intent: string) => ({ id: intentAction(intent), title: ctx.deps.msg.t(`common.buttons.${intent}`) });

export const slotString = (ctx: FlowContext, key: string): string | undefined => {
  const v = ctx.slots[key];
  return typeof v === 'string' ? v : undefined;
};
export const slotNumber = (ctx: FlowContext, key: string): number | undefined => {
  const v = ctx.slots[key];
  return typeof v === 'number' ? v : undefined;
};

/** Start of identification: the verified customer at once, otherwise ask for a phone or number. */
export async function identify(ctx: FlowContext, onIdentified: OnIdentified, purposeKey = 'falla.identify.ask'): Promise<StepResult> {
  const own = await verifiedCustomer(ctx.deps, ctx.actor);
  if (own) {
    ctx.slots.customerId = own.id;
    ctx.slots.verified = true;
    return onIdentified(ctx, own, true);
  }
  return ask(IDENTIFY_STEP, {
    text: ctx.deps.msg.t(purposeKey),
    ...(ctx.channel === 'telegram' ? { requestContact: true } : {}),
  });
}

/** The answer to `identify`: a shared own contact (verified), or a typed phone / customer number. */
export async function identifyAnswer(ctx: FlowContext, onIdentified: OnIdentified): Promise<StepResult> {
  const { msg } = ctx.deps;
  if (ctx.input.contact) {
    const linked = await linkSharedContact(ctx.deps, ctx.actor, ctx.channel, ctx.input.contact);
    if (!linked) return done(noMatch(ctx));
    ctx.slots.customerId = linked.id;
    ctx.slots.verified = true;
    return onIdentified({ ...ctx, actor: asVerified(ctx.actor, linked) }, linked, true);
  }
  const text = ctx.input.text;
  if (!looksLikeReference(text)) return retry({ text: msg.t('falla.identify.hint') });
  const found = await findCustomerByReference(ctx.deps, text, ctx.input.nlu.entities.phone);
  if (!found) return done(noMatch(ctx));
  ctx.slots.customerId = found.id;
  ctx.slots.verified = false;
  return onIdentified(ctx, found, false);
}

function noMatch(ctx: FlowContext): Reply {
  return {
    text: ctx.deps.msg.t('falla.identify.noMatch'),
    quickReplies: [button(ctx, 'registro'), button(ctx, 'humano'), { id: 'menu', title: ctx.deps.msg.t('common.buttons.menu') }],
  };
}

/**
 * For flows that reveal account data to an actor who is not verified: explain how to be
 * identified and reveal nothing. On Telegram, ask for the user's own contact (step `verify`).
 */
export function verificationRequired(ctx: FlowContext): StepResult {
  const { msg } = ctx.deps;
  const menu = { id: 'menu', title: msg.t('common.buttons.menu') };
  if (ctx.channel === 'telegram') {
    return ask(VERIFY_STEP, { text: msg.t('falla.identify.verifyTelegram'), requestContact: true, quickReplies: [menu] });
  }
  const key = ctx.channel === 'whatsapp' ? 'falla.identify.verifyWhatsapp' : 'falla.identify.verifyOther';
  return done({ text: msg.t(key), quickReplies: [button(ctx, 'falla'), button(ctx, 'humano'), menu] });
}

/** The `verify` step: the user shared their own contact; on a match, `resume` runs as that customer. */
export async function verifyAnswer(ctx: FlowContext, resume: (ctx: FlowContext) => Promise<StepResult> | StepResult): Promise<StepResult> {
  const { msg } = ctx.deps;
  if (!ctx.input.contact) {
    const menu = [{ id: 'menu', title: msg.t('common.buttons.menu') }];
    // A typed number is not proof of identity: explain, and keep waiting for the shared contact.
    if (looksLikeReference(ctx.input.text)) return ask(VERIFY_STEP, { text: msg.t('falla.identify.typedNotProof'), requestContact: true, quickReplies: menu });
    return retry({ text: msg.t('falla.identify.verifyHint'), requestContact: true, quickReplies: menu });
  }
  const linked = await linkSharedContact(ctx.deps, ctx.actor, ctx.channel, ctx.input.contact);
  if (!linked) return done(noMatch(ctx));
  return resume({ ...ctx, actor: asVerified(ctx.actor, linked), input: { ...ctx.input, text: '', action: undefined } });
}
