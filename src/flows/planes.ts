import type { Plan } from '../config/schema.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { isQuestion, parsePlanChoice, planForUsage, plansInText, usageInText, usageOfPlan } from '../domain/answers.ts';
import { findPlan, formatMoney, planButtonTitle, planLabel, plansByPrice } from '../domain/catalog.ts';
import { getMyService } from '../domain/customerService.ts';
import { done, type Flow, type FlowContext } from './flow.ts';
import { intentAction, intentButton, menuButton } from './menu.ts';

/**
 * Plans and prices, all from config (cheapest first). A plan named in the message is answered
 * first; a question ("¿cuál me recomiendas para series?", "¿qué diferencia hay entre el de 20 y
 * el de 50?") gets a recommendation or a comparison; a customer is also told their plan.
 * The plan helpers here are shared by the flows that ask for a plan (registro, cobertura, cambio de plan).
 */
const t = (ctx: FlowContext, key: string, vars?: Record<string, string | number>): string => ctx.deps.msg.t(`planes.${key}`, vars);
const price = (ctx: FlowContext, amount: number): string => formatMoney(amount, ctx.deps.config.isp.currency);
const label = (ctx: FlowContext, plan: Plan): string => planLabel(ctx.deps.msg, ctx.deps.config, plan);

/** The catalogue hint of a plan by its rank in speed ("navegar y redes" … "varias personas, gaming"). */
export function planHint(ctx: FlowContext, plan: Plan): string | undefined {
  const usage = usageOfPlan(ctx.deps.config, plan);
  return usage ? t(ctx, `hints.${usage}`) : undefined;
}

export function planList(ctx: FlowContext): string {
  const lines = plansByPrice(ctx.deps.config).map((plan) => {
    const vars = { name: plan.name, mbps: plan.mbps, price: price(ctx, plan.price) };
    const hint = planHint(ctx, plan);
    return hint ? t(ctx, 'lineWithHint', { ...vars, hint }) : t(ctx, 'line', vars);
  });
  return [t(ctx, 'intro'), ...lines].join('\n');
}

/** One `plan:<mbps>` button per plan, cheapest first. */
export const planButtons = (ctx: FlowContext): QuickReply[] =>
  plansByPrice(ctx.deps.config).map((p) => ({ id: `plan:${p.mbps}`, title: planButtonTitle(ctx.deps.config, p) }));

function compare(ctx: FlowContext, a: Plan, b: Plan): string {
  const [slow, fast] = a.mbps <= b.mbps ? [a, b] : [b, a];
  const delta = fast.price - slow.price;
  const vars = { slow: label(ctx, slow), fast: label(ctx, fast), fastMbps: fast.mbps, extra: fast.mbps - slow.mbps, amount: price(ctx, Math.abs(delta)) };
  return t(ctx, delta >= 0 ? 'compare' : 'compareCheaper', vars);
}

const describe = (ctx: FlowContext, plan: Plan): string => [t(ctx, 'one', { plan: label(ctx, plan) }), planHint(ctx, plan)].filter(Boolean).join(' ');

/**
 * The answer to a question about plans, or to a use described ("para netflix y tareas"): two plans
 * named → their comparison; one plan → it (compared with `current` when that is another plan);
 * a use → the plan for it; any other question → the list with what each plan is for (unless
 * `list: false`, where the caller shows the plans anyway). Undefined when the text is neither a question nor a use.
 */
export function planQuestionAnswer(ctx: FlowContext, current?: Plan, options: { list?: boolean } = {}): Reply | undefined {
  const { config } = ctx.deps;
  const { text, nlu } = ctx.input;
  const question = isQuestion(text);
  const usage = usageInText(text);
  if (!question && !usage) return undefined;
  const named = plansInText(config, text);
  const entity = findPlan(config, nlu.entities.plan_mbps);
  if (entity && !named.includes(entity)) named.push(entity);
  if (named.length >= 2 && named[0] && named[1]) return { text: compare(ctx, named[0], named[1]) };
  if (named[0]) return { text: current && current.mbps !== named[0].mbps ? compare(ctx, current, named[0]) : describe(ctx, named[0]) };
  const fit = usage ? planForUsage(config, usage) : undefined;
  if (fit) return { text: [t(ctx, 'recommend', { plan: label(ctx, fit) }), planHint(ctx, fit)].filter(Boolean).join(' ') };
  if (options.list === false) return undefined;
  const lines = plansByPrice(config).map((p) => t(ctx, 'line', { name: p.name, mbps: p.mbps, price: price(ctx, p.price) }) + (planHint(ctx, p) ? ` ${planHint(ctx, p)}` : ''));
  return { text: t(ctx, 'whichFits', { lines: lines.join('\n') }) };
}

/** What an answer to "¿qué plan quieres?" is: a plan (button, speed, name, price, "el de en medio"), an answered question, or nothing. */
export type PlanAnswer = { kind: 'plan'; plan: Plan } | { kind: 'question'; reply: Reply } | undefined;

export function readPlanAnswer(ctx: FlowContext, current?: Plan, options: { list?: boolean } = {}): PlanAnswer {
  const { config } = ctx.deps;
  const { action, text, nlu } = ctx.input;
  const pressed = /^plan:(\d+)$/.exec(action ?? '')?.[1];
  if (pressed) {
    const plan = findPlan(config, Number(pressed));
    return plan ? { kind: 'plan', plan } : undefined;
  }
  const answered = planQuestionAnswer(ctx, current, options);
  // A use described without naming a plan is advice, not a choice; a question is never a choice.
  if (answered && (isQuestion(text) || plansInText(config, text).length === 0)) return { kind: 'question', reply: answered };
  const plan = parsePlanChoice(config, text, nlu.entities.plan_mbps);
  return plan ? { kind: 'plan', plan } : undefined;
}

export const planesFlow: Flow = {
  id: 'planes',
  start: async (ctx) => {
    const { config, msg } = ctx.deps;
    const { text, nlu } = ctx.input;
    const replies: Reply[] = [];
    const service = ctx.actor.role === 'customer' ? await getMyService(ctx.deps, ctx.actor) : undefined;
    const mine = findPlan(config, service?.planMbps);
    const chosen = parsePlanChoice(config, text, nlu.entities.plan_mbps);
    // One plan named ("¿cuánto cuesta el de 50?"): its price; two, or a use: the comparison or advice.
    const asked = chosen && plansInText(config, text).length < 2 ? chosen : undefined;
    const answered = asked ? undefined : planQuestionAnswer(ctx, mine, { list: false });
    if (answered) replies.push(answered);
    else if (asked) replies.push({ text: t(ctx, 'asked', { name: asked.name, mbps: asked.mbps, price: price(ctx, asked.price) }) });
    else if (nlu.entities.plan_mbps !== undefined) replies.push({ text: t(ctx, 'unknownPlan', { mbps: nlu.entities.plan_mbps }) });

    const menu: QuickReply = menuButton(msg);
    if (service) {
      const own = mine ? [t(ctx, 'yourPlan', { name: mine.name, mbps: mine.mbps, price: price(ctx, service.price ?? mine.price) })] : [];
      replies.push({ text: [planList(ctx), ...own, t(ctx, 'outroCustomer')].join('\n\n'), quickReplies: [intentButton(msg, 'cambio_plan'), menu] });
      return done(...replies);
    }
    replies.push({
      text: `${planList(ctx)}\n\n${t(ctx, 'outro')}`,
      quickReplies: [{ id: intentAction('registro'), title: t(ctx, 'buttons.contratar') }, intentButton(msg, 'cobertura'), menu],
    });
    return done(...replies);
  },
  steps: {},
};
