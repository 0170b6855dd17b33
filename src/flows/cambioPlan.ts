import type { Plan } from '../config/schema.ts';
import type { Reply } from '../core/types.ts';
import { isQuestion, parseYesNo as readYesNo } from '../domain/answers.ts';
import { findPlan, fold, formatMoney, planLabel, plansByPrice } from '../domain/catalog.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel, reporterOf } from '../domain/reporter.ts';
import type { Customer } from '../sheets/records.ts';
import { parsePlanMbps, parseYesNo } from './answerParsing.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { slotNumber, verificationRequired, verifyAnswer, VERIFY_STEP } from './identifyCustomer.ts';
import { handoffOffer, menuButton, yesNo } from './menu.ts';
import { planQuestionAnswer } from './planes.ts';

/**
 * Cambio de plan (verified customers only): current plan, the other plans with the monthly
 * difference, confirm → a `cambio_plan` ticket for staff. An entity in the first message preselects.
 * A question ("¿qué diferencia hay entre el de 20 y el de 50?") is answered and the question asked
 * again, without counting as a failed answer. Someone not verified is first asked whether they are
 * a customer; a prospect who just names a plan ("quiero el básico") is signing up: registro starts with it.
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

function confirmReply(ctx: FlowContext, customer: Customer, target: Plan): Reply {
  const { msg, config } = ctx.deps;
  const diff = diffText(ctx, target, currentPrice(ctx, customer), 'diff');
  return yesNo(msg, msg.t('cambio_plan.confirm', { plan: planLabel(msg, config, target), diff }));
}

function confirm(ctx: FlowContext, customer: Customer, target: Plan): StepResult {
  ctx.slots.targetMbps = target.mbps;
  return ask('confirm', confirmReply(ctx, customer, target));
}

/** A question about plans: answered (compared with the current plan), then `again` is asked at `step`. */
function answerQuestion(ctx: FlowContext, customer: Customer, step: string, again: Reply): StepResult | undefined {
  if (ctx.input.action || !isQuestion(ctx.input.text)) return undefined;
  const answer = planQuestionAnswer(ctx, findPlan(ctx.deps.config, customer.planMbps));
  return answer ? ask(step, answer, again) : undefined;
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
  const question = answerQuestion(ctx, customer, 'choose', choiceReply(ctx, customer));
  if (question) return question;
  const pre = parsePlanMbps(ctx);
  const target = findPlan(ctx.deps.config, pre);
  if (target && target.mbps !== customer.planMbps) return confirm(ctx, customer, target);
  const lead = target ? ctx.deps.msg.t('cambio_plan.already', { mbps: target.mbps }) : undefined;
  return ask('choose', choiceReply(ctx, customer, lead));
}

/** Words of someone who already has the service ("cambiar mi plan", "subirle", "soy cliente"). */
const CUSTOMER_HINT = /\b(mi plan|mi paquete|mi servicio|mi internet|cambi\w*|sub(ir|irle|irme)|baj(ar|arle|arme)|mejorar|soy cliente|ya soy|actual)\b/;

/** Sign-up, with the plan named so far (registro asks the rest). */
const signUp = (ctx: FlowContext): StepResult => {
  const planMbps = slotNumber(ctx, 'planMbps');
  return switchTo('registro', [], planMbps !== undefined ? { planMbps } : {});
};

const isCustomerQuestion = (ctx: FlowContext, text = ctx.deps.msg.t('cambio_plan.askIsCustomer', { isp: ctx.deps.config.isp.name })): Reply => {
  const reply = yesNo(ctx.deps.msg, text);
  return { ...reply, quickReplies: [...(reply.quickReplies ?? []), menuButton(ctx.deps.msg)] };
};

/** Someone not verified: a prospect naming a plan signs up; anyone else is asked whether they are a customer. */
function notVerified(ctx: FlowContext): StepResult {
  if (ctx.actor.role !== 'prospect') return verificationRequired(ctx);
  const plan = findPlan(ctx.deps.config, parsePlanMbps(ctx));
  if (plan) ctx.slots.planMbps = plan.mbps;
  if (plan && !CUSTOMER_HINT.test(fold(ctx.input.text))) return signUp(ctx);
  return ask('isCustomer', isCustomerQuestion(ctx));
}

const SAYS_CUSTOMER = /\b(ya soy|si soy|soy cliente|ya tengo|tengo (el servicio|internet con ustedes))\b/;
const SAYS_NOT_CUSTOMER = /\b(no soy|aun no|todavia no|no tengo|quiero contratar)\b/;

export const cambioPlanFlow: Flow = {
  id: 'cambio_plan',
  start: (ctx) => (ctx.actor.customerId ? offer(ctx) : notVerified(ctx)),
  steps: {
    [VERIFY_STEP]: (ctx) => verifyAnswer(ctx, offer),

    /** "¿Ya eres cliente?": yes → how to be identified (Telegram: the shared contact); no → sign-up. */
    isCustomer: (ctx) => {
      if (ctx.input.contact) return verifyAnswer(ctx, offer);
      const folded = fold(ctx.input.text);
      const answer = SAYS_NOT_CUSTOMER.test(folded) ? 'no' : SAYS_CUSTOMER.test(folded) ? 'yes' : readYesNo(ctx.input.text, ctx.input.action);
      if (answer === 'yes') return verificationRequired(ctx);
      if (answer === 'no') return signUp(ctx);
      return retry(isCustomerQuestion(ctx, ctx.deps.msg.t('cambio_plan.isCustomerHint')));
    },

    choose: async (ctx) => {
      const customer = await verifiedCustomer(ctx.deps, ctx.actor);
      if (!customer) return verificationRequired(ctx);
      return answerQuestion(ctx, customer, 'choose', choiceReply(ctx, customer)) ?? choose(ctx, customer, parsePlanMbps(ctx), 'cambio_plan.chooseHint');
    },

    confirm: async (ctx) => {
      const { deps } = ctx;
      const { msg, config } = deps;
      const customer = await verifiedCustomer(deps, ctx.actor);
      if (!customer) return verificationRequired(ctx);
      const answer = parseYesNo(ctx);
      const target = findPlan(config, slotNumber(ctx, 'targetMbps'));
      if (answer === undefined) {
        const question = target ? answerQuestion(ctx, customer, 'confirm', confirmReply(ctx, customer, target)) : undefined;
        if (question) return question;
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
