import type { Vars } from '../config/messages.ts';
import type { Actor, QuickReply, Reply } from '../core/types.ts';
import { firstNameOf } from '../domain/answers.ts';
import { fold, formatMoney } from '../domain/catalog.ts';
import { describeDue, getMyService, type DueDescription, type MyService } from '../domain/customerService.ts';
import { asVerified, linkSharedContact } from '../domain/identify.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton } from './menu.ts';

/**
 * The customer's own service (plan, price, status, due date, balance, open tickets). Only the
 * actor's own row is read; someone we cannot identify is told how to verify (Telegram: share
 * their own contact) and never learns anything about a number they type.
 */
const t = (ctx: FlowContext, key: string, vars?: Vars): string => ctx.deps.msg.t(`mi_servicio.${key}`, vars);

function serviceText(ctx: FlowContext, s: MyService): string {
  const money = (n: number): string => formatMoney(n, ctx.deps.config.isp.currency);
  const lines = [t(ctx, 'header', { name: firstNameOf(s.name) ?? s.name }), t(ctx, 'customerId', { id: s.customerId })];
  if (s.planMbps !== undefined) lines.push(s.planName ? t(ctx, 'plan', { name: s.planName, mbps: s.planMbps }) : t(ctx, 'planMbps', { mbps: s.planMbps }));
  if (s.price !== undefined) lines.push(t(ctx, 'price', { price: money(s.price) }));
  lines.push(t(ctx, s.status === 'activo' ? 'statusActive' : s.status === 'suspendido' ? 'statusSuspended' : 'statusCancelled'));
  const due = s.dueDate ? describeDue(s.dueDate, ctx.now, ctx.deps.config.isp.timezone) : undefined;
  if (due) lines.push(t(ctx, dueKey(due, s.balance), { date: due.text }));
  if (s.balance !== undefined) lines.push(s.balance > 0 ? t(ctx, 'balanceDue', { amount: money(s.balance) }) : t(ctx, 'balanceZero'));
  lines.push(s.openTickets === 0 ? t(ctx, 'ticketsNone') : s.openTickets === 1 ? t(ctx, 'ticketsOne') : t(ctx, 'tickets', { count: s.openTickets }));
  lines.push(t(ctx, 'outro'));
  return lines.join('\n');
}

/** Past due dates read "Venció el…" (or the last due date when nothing is owed), never "Próximo pago". */
function dueKey(due: DueDescription, balance: number | undefined): string {
  if (due.isToday) return 'dueToday';
  if (!due.past) return 'due';
  return balance !== undefined && balance <= 0 ? 'duePaid' : 'duePast';
}

/** "¿Cuál es mi número de cliente?": the number goes first. */
const ASKS_CUSTOMER_ID = /\b(numero|num|no|id|clave) de (cliente|cuenta|contrato|usuario)\b|\bmi (id|clave|numero) de cliente\b/;

async function showService(ctx: FlowContext, actor: Actor): Promise<StepResult | undefined> {
  const service = await getMyService(ctx.deps, actor);
  if (!service) return undefined;
  const idFirst: Reply[] = ASKS_CUSTOMER_ID.test(fold(ctx.input.text)) ? [{ text: t(ctx, 'yourCustomerId', { id: service.customerId }) }] : [];
  return done(...idFirst, {
    text: serviceText(ctx, service),
    quickReplies: [intentButton(ctx.deps.msg, 'pago'), intentButton(ctx.deps.msg, 'falla'), intentButton(ctx.deps.msg, 'cambio_plan'), menuButton(ctx.deps.msg)],
  });
}

const prospectButtons = (ctx: FlowContext): QuickReply[] => [intentButton(ctx.deps.msg, 'registro'), menuButton(ctx.deps.msg)];

function notIdentified(ctx: FlowContext): StepResult {
  if (ctx.channel === 'telegram') {
    const reply: Reply = { text: `${t(ctx, 'notIdentified')} ${t(ctx, 'shareContact')}\n${t(ctx, 'notCustomerYet')}`, quickReplies: prospectButtons(ctx), requestContact: true };
    return ask('identify', reply);
  }
  return done({ text: `${t(ctx, 'notIdentified')} ${t(ctx, 'writeFromWhatsapp')}\n${t(ctx, 'notCustomerYet')}`, quickReplies: prospectButtons(ctx) });
}

export const miServicioFlow: Flow = {
  id: 'mi_servicio',
  start: async (ctx) => (await showService(ctx, ctx.actor)) ?? notIdentified(ctx),
  steps: {
    /** Telegram only: waits for the person's own shared contact. Typed numbers are never looked up. */
    identify: async (ctx) => {
      const { contact } = ctx.input;
      // Anything but the own shared contact (a typed number included, never looked up) is a failed answer.
      if (!contact?.own) return retry({ text: t(ctx, 'contactHint'), quickReplies: prospectButtons(ctx), requestContact: true });
      const linked = await linkSharedContact(ctx.deps, ctx.actor, ctx.channel, contact);
      const shown = linked ? await showService(ctx, asVerified(ctx.actor, linked)) : undefined;
      return shown ?? done({ text: t(ctx, 'contactNotFound'), quickReplies: [intentButton(ctx.deps.msg, 'humano'), ...prospectButtons(ctx)] });
    },
  },
};
