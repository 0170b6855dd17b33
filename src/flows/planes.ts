import type { Plan } from '../config/schema.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { parsePlanChoice } from '../domain/answers.ts';
import { findPlan, formatMoney, plansByPrice } from '../domain/catalog.ts';
import { getMyService } from '../domain/customerService.ts';
import { done, type Flow, type FlowContext } from './flow.ts';
import { intentAction, intentButton, menuButton } from './menu.ts';

/**
 * Plans and prices, all from config (cheapest first). A plan named in the message is answered
 * first; a customer is also told which plan they have and offered a change.
 */
const t = (ctx: FlowContext, key: string, vars?: Record<string, string | number>): string => ctx.deps.msg.t(`planes.${key}`, vars);
const price = (ctx: FlowContext, plan: Plan): string => formatMoney(plan.price, ctx.deps.config.isp.currency);

/** "low" for the cheapest, "high" for the most expensive, "mid" for the rest; none with a single plan. */
function hintKey(index: number, count: number): string | undefined {
  if (count < 2) return undefined;
  return index === 0 ? 'hints.low' : index === count - 1 ? 'hints.high' : 'hints.mid';
}

function planList(ctx: FlowContext): string {
  const plans = plansByPrice(ctx.deps.config);
  const lines = plans.map((plan, i) => {
    const vars = { name: plan.name, mbps: plan.mbps, price: price(ctx, plan) };
    const hint = hintKey(i, plans.length);
    return hint ? t(ctx, 'lineWithHint', { ...vars, hint: t(ctx, hint) }) : t(ctx, 'line', vars);
  });
  return [t(ctx, 'intro'), ...lines].join('\n');
}

export const planesFlow: Flow = {
  id: 'planes',
  start: async (ctx) => {
    const { config, msg } = ctx.deps;
    const { text, nlu } = ctx.input;
    const replies: Reply[] = [];
    const asked = parsePlanChoice(config, text, nlu.entities.plan_mbps);
    if (asked) replies.push({ text: t(ctx, 'asked', { name: asked.name, mbps: asked.mbps, price: price(ctx, asked) }) });
    else if (nlu.entities.plan_mbps !== undefined) replies.push({ text: t(ctx, 'unknownPlan', { mbps: nlu.entities.plan_mbps }) });

    const menu: QuickReply = menuButton(msg);
    const service = ctx.actor.role === 'customer' ? await getMyService(ctx.deps, ctx.actor) : undefined;
    if (service) {
      const mine = findPlan(config, service.planMbps);
      const own = mine ? [t(ctx, 'yourPlan', { name: mine.name, mbps: mine.mbps, price: formatMoney(service.price ?? mine.price, config.isp.currency) })] : [];
      replies.push({
        text: [planList(ctx), ...own, t(ctx, 'outroCustomer')].join('\n\n'),
        quickReplies: [intentButton(msg, 'cambio_plan'), menu],
      });
      return done(...replies);
    }
    replies.push({
      text: `${planList(ctx)}\n\n${t(ctx, 'outro')}`,
      quickReplies: [
        { id: intentAction('registro'), title: t(ctx, 'buttons.contratar') },
        intentButton(msg, 'cobertura'),
        menu,
      ],
    });
    return done(...replies);
  },
  steps: {},
};
