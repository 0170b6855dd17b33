import { done, type Flow } from './flow.ts';
import { menuReply } from './menu.ts';

// PLACEHOLDER — being written; replaced by the real flow.
export const estadisticasFlow: Flow = {
  id: 'estadisticas', roles: ['staff'],
  start: (ctx) => done(menuReply(ctx.deps.msg, ctx.actor)),
  steps: {},
};
