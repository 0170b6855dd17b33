import type { Reply } from '../core/types.ts';
import { formatMoney } from '../domain/catalog.ts';
import { FALLA_CATEGORIES } from '../domain/incidents.ts';
import { done, type FlowContext, type StepResult } from './flow.ts';
import { slotNumber } from './identifyCustomer.ts';
import { intentButton, menuButton, yesNo } from './menu.ts';

/** The falla flow's questions with their quick replies (texts in config/messages/falla.yaml). */

/** "¿Cuál es la contraseña del wifi?" is configuration, not an outage: a tip and a person. */
export function wifiTip(ctx: FlowContext): StepResult {
  const { msg } = ctx.deps;
  return done({ text: msg.t('falla.wifiTip'), quickReplies: [intentButton(msg, 'humano'), menuButton(msg)] });
}

export function suspendedReply(ctx: FlowContext, key: string): Reply {
  const { msg, config } = ctx.deps;
  return {
    text: msg.t(key, { amount: formatMoney(slotNumber(ctx, 'owed') ?? 0, config.isp.currency) }),
    quickReplies: [
      { id: 'pay:done', title: msg.t('pago.buttons.done') },
      { id: 'pay:methods', title: msg.t('pago.buttons.methods') },
      { id: 'other', title: msg.t('falla.buttons.other') },
    ],
  };
}

export function categoryReply(ctx: FlowContext, key: string): Reply {
  return {
    text: ctx.deps.msg.t(key),
    quickReplies: [...FALLA_CATEGORIES.map((c) => ({ id: `cat:${c}`, title: ctx.deps.msg.t(`falla.cat.${c}`) })), menuButton(ctx.deps.msg)],
  };
}

export function sinceReply(ctx: FlowContext, key: string): Reply {
  const { msg } = ctx.deps;
  return {
    text: msg.t(key),
    quickReplies: (['today', 'yesterday', 'days'] as const).map((s) => ({ id: `since:${s}`, title: msg.t(`falla.since.${s}`) })),
  };
}

export const restartedReply = (ctx: FlowContext, key: string): Reply => yesNo(ctx.deps.msg, ctx.deps.msg.t(key));

export function restartStepsReply(ctx: FlowContext, key: string): Reply {
  const { msg } = ctx.deps;
  return {
    text: msg.t(key),
    quickReplies: [
      { id: 'fixed', title: msg.t('falla.buttons.fixed') },
      { id: 'still', title: msg.t('falla.buttons.still') },
    ],
  };
}
