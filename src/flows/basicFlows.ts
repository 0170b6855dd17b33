import { done, type Flow, type FlowContext } from './flow.ts';
import { menuReply } from './menu.ts';

/** Greeting, help, goodbye and out-of-scope: one-turn flows around the role-aware menu. */
function firstName(ctx: FlowContext): string {
  const name = ctx.actor.name ?? ctx.profileName;
  const first = name?.trim().split(/\s+/)[0];
  return first ? ` ${first}` : '';
}

export const saludoFlow: Flow = {
  id: 'saludo',
  start: (ctx) => {
    const { msg, config } = ctx.deps;
    const greeting = msg.t('common.greeting', { name: firstName(ctx), isp: config.isp.name });
    return done(menuReply(msg, ctx.actor, `${greeting}\n${ctx.actor.role === 'staff' ? msg.t('common.staffMenuPrompt') : msg.t('common.menuPrompt')}`));
  },
  steps: {},
};

export const ayudaFlow: Flow = {
  id: 'ayuda',
  start: (ctx) => {
    const { msg } = ctx.deps;
    return done(menuReply(msg, ctx.actor, ctx.actor.role === 'staff' ? msg.t('common.staffMenuPrompt') : msg.t('common.help')));
  },
  steps: {},
};

export const despedidaFlow: Flow = {
  id: 'despedida',
  start: (ctx) => done({ text: ctx.deps.msg.t('common.goodbye') }),
  steps: {},
};

export const fueraDeAlcanceFlow: Flow = {
  id: 'fuera_de_alcance',
  start: (ctx) => {
    const { msg, config } = ctx.deps;
    return done(menuReply(msg, ctx.actor, msg.t('common.outOfScope', { isp: config.isp.name })));
  },
  steps: {},
};
