import type { QuickReply, Reply } from '../core/types.ts';
import { fold } from '../domain/catalog.ts';
import { canonicalFolio, closeMyTicket, findMyTicket, formatTicket, latestOpenFalla, listMyOpenTickets } from '../domain/incidents.ts';
import type { Incident } from '../sheets/records.ts';
import { parseYesNo, saysServiceBack } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { slotString, verificationRequired, verifyAnswer, VERIFY_STEP } from './identifyCustomer.ts';
import { intentButton, menuButton, yesNo } from './menu.ts';

/**
 * "Mis reportes": the verified customer's own open tickets (newest first, at most 5), one by
 * folio (only their own), and closing one of them on request ("ya regresó el internet" offers to
 * close the open falla). Reveals nothing to anyone else.
 */

const LIST_LIMIT = 5;

const closeButton = (ctx: FlowContext): QuickReply => ({ id: 'close', title: ctx.deps.msg.t('estado_reporte.buttons.close') });

const wantsClose = (text: string): boolean => /\b(cancel\w*|cerrar|cierr\w*|elimin\w*|borr\w*|dar de baja)\b/.test(fold(text));

function folioIn(ctx: FlowContext): string | undefined {
  const fromButton = /^folio:(.+)$/.exec(ctx.input.action ?? '')?.[1];
  return fromButton ?? ctx.input.nlu.entities.folio ?? canonicalFolio(ctx.input.text);
}

function notFound(ctx: FlowContext): StepResult {
  return done({ text: ctx.deps.msg.t('estado_reporte.notFound'), quickReplies: [intentButton(ctx.deps.msg, 'estado_reporte'), menuButton(ctx.deps.msg)] });
}

function noTickets(ctx: FlowContext): StepResult {
  const { msg } = ctx.deps;
  return done({ text: msg.t('estado_reporte.none'), quickReplies: [intentButton(msg, 'falla'), menuButton(ctx.deps.msg)] });
}

function confirmClose(ctx: FlowContext, ticket: Incident): StepResult {
  const { msg } = ctx.deps;
  if (ticket.status === 'cerrado') return done({ text: msg.t('estado_reporte.alreadyClosed', { folio: ticket.folio }), quickReplies: [menuButton(ctx.deps.msg)] });
  ctx.slots.folio = ticket.folio;
  return ask('confirm', yesNo(msg, msg.t('estado_reporte.confirmClose', { line: formatTicket(msg, ticket, ctx.now) })));
}

/** Which ticket to close: the one named, the only open one, or ask. */
async function closeRequest(ctx: FlowContext, folio: string | undefined): Promise<StepResult> {
  if (folio) {
    const ticket = await findMyTicket(ctx.deps, ctx.actor, folio);
    return ticket ? confirmClose(ctx, ticket) : notFound(ctx);
  }
  const open = await listMyOpenTickets(ctx.deps, ctx.actor, LIST_LIMIT);
  const [only] = open;
  if (!only) return noTickets(ctx);
  if (open.length === 1) return confirmClose(ctx, only);
  return ask('pick', pickReply(ctx, open, 'estado_reporte.pickClose'));
}

function pickReply(ctx: FlowContext, open: Incident[], key: string): Reply {
  const { msg } = ctx.deps;
  return {
    text: `${msg.t(key)}\n${open.map((t) => formatTicket(msg, t, ctx.now)).join('\n')}`,
    quickReplies: [...open.map((t) => ({ id: `folio:${t.folio}`, title: t.folio })), menuButton(ctx.deps.msg)],
  };
}

/** "Ya regresó el internet": offer to close the open falla (or just be glad when there is none). */
async function serviceBack(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  const open = await latestOpenFalla(ctx.deps, ctx.actor);
  if (!open) {
    if (wantsClose(ctx.input.text)) return closeRequest(ctx, undefined);
    return done({ text: msg.t('estado_reporte.serviceBackNoTicket'), quickReplies: [menuButton(msg)] });
  }
  ctx.slots.folio = open.folio;
  return ask('confirm', yesNo(msg, msg.t('estado_reporte.serviceBack', { folio: open.folio })));
}

async function show(ctx: FlowContext): Promise<StepResult> {
  const { msg } = ctx.deps;
  const folio = folioIn(ctx);
  if (!folio && saysServiceBack(ctx.input.text)) return serviceBack(ctx);
  if (wantsClose(ctx.input.text)) return closeRequest(ctx, folio);
  if (folio) {
    const ticket = await findMyTicket(ctx.deps, ctx.actor, folio);
    if (!ticket) return notFound(ctx);
    ctx.slots.folio = ticket.folio;
    const quickReplies = ticket.status === 'cerrado' ? [menuButton(ctx.deps.msg)] : [closeButton(ctx), menuButton(ctx.deps.msg)];
    return ask('list', { text: msg.t('estado_reporte.one', { line: formatTicket(msg, ticket, ctx.now) }), quickReplies });
  }
  const open = await listMyOpenTickets(ctx.deps, ctx.actor, LIST_LIMIT);
  if (open.length === 0) return noTickets(ctx);
  delete ctx.slots.folio;
  const lines = open.map((t) => formatTicket(msg, t, ctx.now)).join('\n');
  return ask('list', { text: msg.t('estado_reporte.list', { count: open.length, lines }), quickReplies: [closeButton(ctx), menuButton(ctx.deps.msg)] });
}

export const estadoReporteFlow: Flow = {
  id: 'estado_reporte',
  start: (ctx) => (ctx.actor.customerId ? show(ctx) : verificationRequired(ctx)),
  steps: {
    [VERIFY_STEP]: (ctx) => verifyAnswer(ctx, show),

    list: async (ctx) => {
      const folio = folioIn(ctx);
      if (!folio && !ctx.input.action && saysServiceBack(ctx.input.text)) return serviceBack(ctx);
      if (ctx.input.action === 'close' || wantsClose(ctx.input.text)) return closeRequest(ctx, folio ?? slotString(ctx, 'folio'));
      if (folio) return show(ctx);
      const { msg } = ctx.deps;
      return retry({ text: msg.t('estado_reporte.listHint'), quickReplies: [closeButton(ctx), menuButton(ctx.deps.msg)] });
    },

    pick: async (ctx) => {
      const folio = folioIn(ctx);
      const ticket = folio ? await findMyTicket(ctx.deps, ctx.actor, folio) : undefined;
      if (!ticket || ticket.status === 'cerrado') {
        const open = await listMyOpenTickets(ctx.deps, ctx.actor, LIST_LIMIT);
        if (open.length === 0) return noTickets(ctx);
        return retry(pickReply(ctx, open, 'estado_reporte.pickHint'));
      }
      return confirmClose(ctx, ticket);
    },

    confirm: async (ctx) => {
      const { msg } = ctx.deps;
      const folio = slotString(ctx, 'folio');
      const answer = parseYesNo(ctx);
      if (answer === undefined || !folio) return retry(yesNo(msg, msg.t('estado_reporte.confirmHint', { folio: folio ?? '' })));
      if (!answer) return done({ text: msg.t('estado_reporte.kept', { folio }), quickReplies: [menuButton(ctx.deps.msg)] });
      const closed = await closeMyTicket(ctx.deps, ctx.actor, folio, msg.t('estado_reporte.closeNote', { channel: ctx.channel }));
      if (!closed) return notFound(ctx);
      return done({ text: msg.t('estado_reporte.closed', { folio }), quickReplies: [menuButton(ctx.deps.msg)] });
    },
  },
};
