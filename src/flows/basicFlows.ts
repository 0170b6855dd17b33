import { firstNameOf } from '../domain/answers.ts';
import { done, type Flow, type FlowContext } from './flow.ts';
import { menuReply } from './menu.ts';

/** Greeting, help, goodbye and out-of-scope: one-turn flows around the role-aware menu. */

/** " Chuy" for "Don Chuy Pérez" (honorifics skipped), '' without a name: fills `{name}` in "¡Hola{name}!". */
function firstName(ctx: FlowContext): string {
  const first = firstNameOf(ctx.actor.name ?? ctx.profileName);
  return first ? ` ${first}` : '';
}

export const saludoFlow: Flow = {
  id: 'saludo',
  start: (ctx) => {
    const { msg, config } = ctx.deps;
    if (ctx.actor.role === 'staff') return done(menuReply(msg, ctx.actor, msg.t('common.staffGreeting', { name: firstName(ctx) })));
    const greeting = msg.t('common.greeting', { name: firstName(ctx), isp: config.isp.name });
    return done(menuReply(msg, ctx.actor, `${greeting}\n${msg.t('common.menuPrompt')}`));
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
