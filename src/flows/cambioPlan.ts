import type { Plan } from '../config/schema.ts';
import type { Reply } from '../core/types.ts';
import { findPlan, formatMoney, planLabel, plansByPrice } from '../domain/catalog.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel, reporterOf } from '../domain/reporter.ts';
import type { Customer } from '../sheets/records.ts';
import { parsePlanMbps, parseYesNo } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { slotNumber, verificationRequired, verifyAnswer, VERIFY_STEP } from './identifyCustomer.ts';
import { handoffOffer, menuButton, yesNo } from './menu.ts';

/**
 * Cambio de plan (verified customers only): current plan, the other plans with the monthly
 * difference, confirm → a `cambio_plan` ticket for staff. An entity in the first message preselects.
 */

/** What the customer pays now: their own price, else the plan's price from config. */
const currentPrice = (ctx: FlowContext, customer: Customer): number | undefined =>
  customer.price ?? findPlan(ctx.deps.config, customer.planMbps)?.price;

function diffText(ctx: FlowContext, plan: Plan, paying: number | undefined, kind: 'diff' | 'button'): string {
  const { msg, config } = ctx.deps;
  if (paying === undefined) return kind === 'diff' ? '' : msg.t('cambio_plan.buttonPlain', { mbps: plan.mbps });
  const delta = plan.price - paying;
  const amount = formatMoney(Math.abs(delta), config.isp.currency);
  const sign = delta >= 0 ? 'Up' : 'Down';
  return kind === 'diff' ? msg.t(`cambio_plan.diff${sign}`, { amount }) : msg.t(`cambio_plan.button${sign}`, { mbps: plan.mbps, amount });
}

function choiceReply(ctx: FlowContext, customer: Customer, lead?: string): Reply {
  const { msg, config } = ctx.deps;
  const current = findPlan(config, customer.planMbps);
  const paying = currentPrice(ctx, customer);
  const others = plansByPrice(config).filter((p) => p.mbps !== customer.planMbps);
  const lines = others.map((p) => msg.t('cambio_plan.line', { plan: planLabel(msg, config, p), diff: diffText(ctx, p, paying, 'diff') }).trimEnd());
  const head = current ? msg.t('cambio_plan.current', { plan: planLabel(msg, config, current) }) : msg.t('cambio_plan.currentUnknown');
  const text = [lead, head, msg.t('cambio_plan.others', { lines: lines.join('\n') })].filter(Boolean).join('\n\n');
  const quickReplies = others.map((p) => ({ id: `plan:${p.mbps}`, title: diffText(ctx, p, paying, 'button').slice(0, 20) }));
  return { text, quickReplies: [...quickReplies, menuButton(msg)] };
}

function confirm(ctx: FlowContext, customer: Customer, target: Plan): StepResult {
  const { msg, config } = ctx.deps;
  ctx.slots.targetMbps = target.mbps;
  const diff = diffText(ctx, target, currentPrice(ctx, customer), 'diff');
  return ask('confirm', yesNo(msg, msg.t('cambio_plan.confirm', { plan: planLabel(msg, config, target), diff })));
}

/** The answer names a plan: confirm it, or re-ask when it is the current one / not a plan. */
function choose(ctx: FlowContext, customer: Customer, mbps: number | undefined, hintKey: string): StepResult {
  const { msg, config } = ctx.deps;
  const target = findPlan(config, mbps);
  // A real plan, just the current one: re-ask (not a failed answer, so no topic-change guess either).
  if (target && target.mbps === customer.planMbps) {
    return ask('choose', choiceReply(ctx, customer, msg.t('cambio_plan.already', { mbps: target.mbps })));
  }
  if (!target) return retry(choiceReply(ctx, customer, msg.t(hintKey)));
  return confirm(ctx, customer, target);
}

async function offer(ctx: FlowContext): Promise<StepResult> {
  const customer = await verifiedCustomer(ctx.deps, ctx.actor);
  if (!customer) return verificationRequired(ctx);
  const pre = parsePlanMbps(ctx);
  const target = findPlan(ctx.deps.config, pre);
  if (target && target.mbps !== customer.planMbps) return confirm(ctx, customer, target);
  const lead = target ? ctx.deps.msg.t('cambio_plan.already', { mbps: target.mbps }) : undefined;
  return ask('choose', choiceReply(ctx, customer, lead));
}

export const cambioPlanFlow: Flow = {
  id: 'cambio_plan',
  start: (ctx) => (ctx.actor.customerId ? offer(ctx) : verificationRequired(ctx)),
  steps: {
    [VERIFY_STEP]: (ctx) => verifyAnswer(ctx, offer),

    choose: async (ctx) => {
      const customer = await verifiedCustomer(ctx.deps, ctx.actor);
      if (!customer) return verificationRequired(ctx);
      return choose(ctx, customer, parsePlanMbps(ctx), 'cambio_plan.chooseHint');
    },

    confirm: async (ctx) => {
      const { deps } = ctx;
      const { msg, config } = deps;
      const customer = await verifiedCustomer(deps, ctx.actor);
      if (!customer) return verificationRequired(ctx);
      const answer = parseYesNo(ctx);
      const target = findPlan(config, slotNumber(ctx, 'targetMbps'));
      if (answer === undefined) {
        const other = parsePlanMbps(ctx);
        if (other !== undefined && other !== target?.mbps) return choose(ctx, customer, other, 'cambio_plan.chooseHint');
        return retry(yesNo(msg, msg.t('cambio_plan.confirmHint')));
      }
      if (!answer) return done({ text: msg.t('cambio_plan.declined'), quickReplies: [menuButton(msg)] });
      if (!target) return done(handoffOffer(msg, msg.t('cambio_plan.cannotFile')));
      const from = customer.planMbps ?? 0;
      const reporter = reporterOf(ctx.actor, true);
      const incident = await fileTicket(deps, {
        type: 'cambio_plan',
        priority: TICKET_PRIORITY.cambio_plan,
        customer,
        reporter,
        description: msg.t('cambio_plan.ticketDescription', { from, to: target.mbps }),
        channel: ctx.channel,
      });
      await deps.notifier.notifyStaff({
        kind: 'cambio_plan',
        text: msg.t('cambio_plan.staffAlert', { folio: incident.folio, account: accountLabel(msg, customer, reporter), from, to: target.mbps }),
        ref: incident.folio,
        at: deps.clock().toISOString(),
      });
      return done({ text: msg.t('cambio_plan.registered', { folio: incident.folio, plan: planLabel(msg, config, target) }), quickReplies: [menuButton(msg)] });
    },
  },
};
