import { done, type Flow } from './flow.ts';
import { menuReply } from './menu.ts';

// PLACEHOLDER — being written; replaced by the real flow.
export const estadoReporteFlow: Flow = {
  id: 'estado_reporte',
  start: (ctx) => done(menuReply(ctx.deps.msg, ctx.actor)),
  steps: {},
};
