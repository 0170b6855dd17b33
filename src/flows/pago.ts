import type { QuickReply } from '../core/types.ts';
import { fold, formatMoney } from '../domain/catalog.ts';
import { describeDue } from '../domain/customerService.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel } from '../domain/reporter.ts';
import type { Customer } from '../sheets/records.ts';
import { asksPaymentMethods, isAlreadySaid, isSkip, mentionsPaid, paymentDetails, type PaymentDetails } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { identify, identifyAnswer, IDENTIFY_STEP, pendingNote, slotString, ticketSubject } from './identifyCustomer.ts';
import { handoffOffer, menuButton } from './menu.ts';

export { mentionsPaid } from './answerParsing.ts';

/**
 * Pagos: the verified customer's balance and due date first ("¿cuánto debo?"), the methods and
 * bank details only when asked ("¿cómo pago?", "¿a qué cuenta?", the button), and "ya pagué" →
 * amount/reference (taken from that message when it has them) → a `pago` ticket for staff to
 * verify (from a typed customer number too: filed "pendiente de verificar", the same whatever the
 * number matched). Other flows start it with slot `mode`: `paid` or `methods`.
 */

const MAX_REFERENCE = 200;

const overviewButtons = (ctx: FlowContext): QuickReply[] => {
  const { msg } = ctx.deps;
  return [
    { id: 'pay:methods', title: msg.t('pago.buttons.methods') },
    { id: 'pay:done', title: msg.t('pago.buttons.done') },
    menuButton(msg),
  ];
};

const skipButton = (ctx: FlowContext): QuickReply => ({ id: 'skip', title: ctx.deps.msg.t('pago.buttons.skip') });

/** "Tu saldo es $450 y venció el 1 de marzo": balance and due date, worded for past, today or ahead. */
function balanceLine(ctx: FlowContext, customer: Customer): string {
  const { msg, config } = ctx.deps;
  const due = customer.dueDate ? describeDue(customer.dueDate, ctx.now, config.isp.timezone) : undefined;
  const balance = customer.balance ?? 0;
  if (balance > 0) {
    const amount = formatMoney(balance, config.isp.currency);
    if (!due) return msg.t('pago.balanceNoDue', { amount });
    const key = due.past ? 'pago.balancePast' : due.isToday ? 'pago.balanceToday' : 'pago.balance';
    return msg.t(key, { amount, due: due.text });
  }
  // A past date with nothing owed is stale: do not call it the next payment date.
  return due && !due.past ? msg.t('pago.noBalance', { due: due.text }) : msg.t('pago.noBalanceNoDue');
}

function methodsText(ctx: FlowContext): string {
  const { msg, config } = ctx.deps;
  const { payments } = config;
  return [
    msg.t('pago.methods', { list: payments.methods.map((m) => `• ${m}`).join('\n') }),
    msg.t('pago.bank', { bank: payments.bank.bank, holder: payments.bank.holder, clabe: payments.bank.clabe, reference: payments.bank.reference }),
  ].join('\n\n');
}

/** "¿Cuánto debo?": the balance and due date only, with the next steps as buttons. */
async function overview(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  const customer = await verifiedCustomer(ctx.deps, ctx.actor);
  const text = customer ? `${balanceLine(ctx, customer)}\n${msg.t('pago.next')}` : msg.t('pago.balanceHidden');
  return ask('choice', { text, quickReplies: overviewButtons(ctx) });
}

/** "¿Cómo pago?": methods and bank details (an amount owed first, for a verified customer). */
async function methods(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  const customer = await verifiedCustomer(ctx.deps, ctx.actor);
  const owed = customer && (customer.balance ?? 0) > 0 ? `${balanceLine(ctx, customer)}\n\n` : '';
  return ask('choice', { text: `${owed}${methodsText(ctx)}`, quickReplies: [{ id: 'pay:done', title: msg.t('pago.buttons.done') }, menuButton(msg)] });
}

const hasDetails = (d: PaymentDetails): boolean => d.amount !== undefined || d.reference !== undefined;

/** The last earlier message of the user that gave an amount or reference ("ya te lo dije arriba"). */
function earlierDetails(ctx: FlowContext): string | undefined {
  const kept = slotString(ctx, 'paidText');
  if (kept && hasDetails(paymentDetails(kept))) return kept;
  const said = [...ctx.history].reverse().find((t) => t.role === 'user' && t.text !== ctx.input.text && hasDetails(paymentDetails(t.text)));
  return said?.text;
}

async function afterIdentify(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  const said = slotString(ctx, 'paidText');
  if (said && hasDetails(paymentDetails(said))) return fileNotice(ctx, said);
  return ask('reference', { text: msg.t('pago.askReference'), quickReplies: [skipButton(ctx)] });
}

/** "Ya pagué": keep what the message said about the payment, then identify the account. */
function startPaid(ctx: FlowContext): Promise<StepResult> {
  const text = ctx.input.text.trim();
  if (text && hasDetails(paymentDetails(text))) ctx.slots.paidText = text.slice(0, MAX_REFERENCE);
  return identify(ctx, afterIdentify);
}

/** Files the payment notice; `reference` is what the user wrote about it (undefined: skipped). */
async function fileNotice(ctx: FlowContext, reference: string | undefined): Promise<StepResult> {
  const { deps } = ctx;
  const { msg, config } = deps;
  const subject = await ticketSubject(ctx);
  if (!subject) return done(handoffOffer(msg, msg.t('pago.cannotFile')));
  const refText = reference ?? msg.t('pago.noReference');
  const incident = await fileTicket(deps, {
    type: 'pago',
    priority: TICKET_PRIORITY.pago,
    ...subject,
    description: msg.t('pago.ticketDescription', { reference: refText }),
    channel: ctx.channel,
  });
  await deps.notifier.notifyStaff({
    kind: 'pago',
    text: msg.t('pago.staffAlert', { folio: incident.folio, account: accountLabel(msg, subject.customer, subject.reporter), reference: refText }),
    ref: incident.folio,
    at: deps.clock().toISOString(),
  });
  const details = reference ? paymentDetails(reference) : {};
  const echo = [
    details.amount !== undefined ? msg.t('pago.echoAmount', { amount: formatMoney(details.amount, config.isp.currency) }) : '',
    details.reference !== undefined ? msg.t('pago.echoReference', { reference: details.reference }) : '',
  ].join('');
  return done({ text: `${msg.t('pago.registered', { folio: incident.folio, details: echo })}${pendingNote(ctx)}`, quickReplies: [menuButton(msg)] });
}

export const pagoFlow: Flow = {
  id: 'pago',
  start: (ctx) => {
    const mode = slotString(ctx, 'mode');
    if (mode === 'paid' || ctx.input.action === 'pay:done' || mentionsPaid(ctx.input.text)) return startPaid(ctx);
    if (mode === 'methods' || ctx.input.action === 'pay:methods' || asksPaymentMethods(ctx.input.text)) return methods(ctx);
    return overview(ctx);
  },
  steps: {
    choice: (ctx) => {
      const { action, text } = ctx.input;
      if (action === 'pay:done' || (!action && mentionsPaid(text))) return startPaid(ctx);
      if (action === 'pay:methods' || (!action && asksPaymentMethods(text))) return methods(ctx);
      if (!action && /\b(cuanto|saldo|debo|adeudo|vence|vencio|vencimiento|fecha)\b/.test(fold(text))) return overview(ctx);
      return retry({ text: ctx.deps.msg.t('pago.choiceHint'), quickReplies: overviewButtons(ctx) });
    },

    [IDENTIFY_STEP]: (ctx) => identifyAnswer(ctx, afterIdentify),

    reference: async (ctx) => {
      const { msg } = ctx.deps;
      if (isSkip(ctx)) return fileNotice(ctx, undefined);
      const text = ctx.input.text.trim();
      // "Ya te lo dije arriba" is not a reference: use what they wrote before, or ask again.
      if (isAlreadySaid(text)) {
        const earlier = earlierDetails(ctx);
        if (earlier) return fileNotice(ctx, earlier.slice(0, MAX_REFERENCE));
        return retry({ text: msg.t('pago.referenceAgain'), quickReplies: [skipButton(ctx)] });
      }
      if (!text) return retry({ text: msg.t('pago.referenceHint'), quickReplies: [skipButton(ctx)] });
      return fileNotice(ctx, text.slice(0, MAX_REFERENCE));
    },
  },
};
