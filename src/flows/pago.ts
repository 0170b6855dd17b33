import type { QuickReply } from '../core/types.ts';
import { fold, formatMoney } from '../domain/catalog.ts';
import { formatDueDate } from '../domain/customerService.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel } from '../domain/reporter.ts';
import { isSkip } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { identify, identifyAnswer, IDENTIFY_STEP, pendingNote, ticketSubject } from './identifyCustomer.ts';
import { handoffOffer, menuButton } from './menu.ts';

/**
 * Pagos: methods and bank details (config), the verified customer's balance and due date, and
 * "ya pagué" → optional reference/amount → a `pago` ticket for staff to verify (from a typed
 * customer number too: filed "pendiente de verificar", the same whatever the number matched).
 */

const MAX_REFERENCE = 200;

/** "ya pagué", "ya pague", "ya hice el depósito", "acabo de transferir"… */
export function mentionsPaid(text: string): boolean {
  const t = fold(text);
  return (
    /\bya (lo )?(pague|pagamos|deposite|transferi|cubri|hice (el |mi |la )?(pago|deposito|transferencia)|realice (el |mi |la )?(pago|deposito|transferencia)|quedo pagado|esta pagado)\b/.test(t) ||
    /\b(acabo de (pagar|depositar|transferir)|hice (el|mi|la) (pago|deposito|transferencia))\b/.test(t)
  );
}

const buttons = (ctx: FlowContext): QuickReply[] => {
  const { msg } = ctx.deps;
  return [
    { id: 'pay:done', title: msg.t('pago.buttons.done') },
    { id: 'pay:methods', title: msg.t('pago.buttons.methods') },
    menuButton(msg),
  ];
};

function methodsText(ctx: FlowContext): string {
  const { msg, config } = ctx.deps;
  const { payments } = config;
  return [
    msg.t('pago.methods', { list: payments.methods.map((m) => `• ${m}`).join('\n') }),
    msg.t('pago.bank', { bank: payments.bank.bank, holder: payments.bank.holder, clabe: payments.bank.clabe, reference: payments.bank.reference }),
  ].join('\n\n');
}

async function overview(ctx: FlowContext): Promise<StepResult> {
  const { msg, config } = ctx.deps;
  const customer = await verifiedCustomer(ctx.deps, ctx.actor);
  const parts: string[] = [];
  if (customer) {
    const due = customer.dueDate ? (formatDueDate(customer.dueDate) ?? customer.dueDate) : undefined;
    const balance = customer.balance ?? 0;
    if (balance > 0) {
      const amount = formatMoney(balance, config.isp.currency);
      parts.push(due ? msg.t('pago.balance', { amount, due }) : msg.t('pago.balanceNoDue', { amount }));
    } else {
      parts.push(due ? msg.t('pago.noBalance', { due }) : msg.t('pago.noBalanceNoDue'));
    }
  }
  parts.push(methodsText(ctx));
  if (!customer) parts.push(msg.t('pago.balanceHidden'));
  return ask('choice', { text: parts.join('\n\n'), quickReplies: buttons(ctx) });
}

async function afterIdentify(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  return ask('reference', { text: msg.t('pago.askReference'), quickReplies: [{ id: 'skip', title: msg.t('pago.buttons.skip') }] });
}

const startPaid = (ctx: FlowContext): Promise<StepResult> => identify(ctx, afterIdentify);

export const pagoFlow: Flow = {
  id: 'pago',
  start: (ctx) => (mentionsPaid(ctx.input.text) ? startPaid(ctx) : overview(ctx)),
  steps: {
    choice: (ctx) => {
      if (ctx.input.action === 'pay:done' || mentionsPaid(ctx.input.text)) return startPaid(ctx);
      if (ctx.input.action === 'pay:methods') return ask('choice', { text: methodsText(ctx), quickReplies: buttons(ctx) });
      return retry({ text: ctx.deps.msg.t('pago.choiceHint'), quickReplies: buttons(ctx) });
    },

    [IDENTIFY_STEP]: (ctx) => identifyAnswer(ctx, afterIdentify),

    reference: async (ctx) => {
      const { deps } = ctx;
      const { msg } = deps;
      const skipped = isSkip(ctx);
      const reference = skipped ? undefined : ctx.input.text.trim().slice(0, MAX_REFERENCE);
      if (!skipped && !reference) {
        return retry({ text: msg.t('pago.referenceHint'), quickReplies: [{ id: 'skip', title: msg.t('pago.buttons.skip') }] });
      }
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
      return done({ text: `${msg.t('pago.registered', { folio: incident.folio })}${pendingNote(ctx)}`, quickReplies: [menuButton(msg)] });
    },
  },
};
