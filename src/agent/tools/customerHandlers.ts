import { formatMoney } from '../../domain/catalog.ts';
import { formatDueDate, getMyService as readMyService } from '../../domain/customerService.ts';
import { verifiedCustomer } from '../../domain/identify.ts';
import { addNoteToMyTicket, fileFalla, formatAge, latestOpenFalla, listMyOpenTickets, responseTime } from '../../domain/incidents.ts';
import { reporterOf } from '../../domain/reporter.ts';
import { createFallaTicket, getMyService, getMyTickets } from './declarations.ts';
import { requireRole, type HandlerOf } from './types.ts';

/**
 * Handlers of the customer's own data. Identity is `ctx.actor` only (resolved by the gateway from
 * what the channel vouches for): no argument can point them at another customer's rows.
 */

const NOT_IDENTIFIED = { error: 'not_identified', detail: 'No hay un cliente identificado en esta conversación.' };

export const handleGetMyService: HandlerOf<typeof getMyService> = async (_args, ctx) => {
  requireRole(ctx, getMyService);
  const service = await readMyService(ctx.deps, ctx.actor);
  if (!service) return { response: NOT_IDENTIFIED };
  const currency = ctx.deps.config.isp.currency;
  return {
    response: {
      ...service,
      ...(service.price !== undefined ? { priceText: formatMoney(service.price, currency) } : {}),
      ...(service.balance !== undefined ? { balanceText: formatMoney(service.balance, currency) } : {}),
      ...(service.dueDate ? { dueDateText: formatDueDate(service.dueDate) } : {}),
    },
  };
};

export const handleGetMyTickets: HandlerOf<typeof getMyTickets> = async (_args, ctx) => {
  requireRole(ctx, getMyTickets);
  if (!ctx.actor.customerId) return { response: NOT_IDENTIFIED };
  const { msg } = ctx.deps;
  const tickets = await listMyOpenTickets(ctx.deps, ctx.actor);
  return {
    response: {
      openTickets: tickets.map((t) => ({
        folio: t.folio,
        type: t.type,
        status: msg.t(`estado_reporte.status.${t.status}`),
        priority: t.priority,
        age: formatAge(msg, t.createdAt, ctx.now),
      })),
    },
  };
};

/**
 * A verified customer's falla goes straight to the Incidentes tab (as the falla flow files it:
 * priority, staff alert, mass-outage check), or as a note on their open falla ticket. Anyone
 * else is handed to the falla flow, which asks for their number and files it "sin verificar".
 */
export const handleCreateFallaTicket: HandlerOf<typeof createFallaTicket> = async (args, ctx) => {
  requireRole(ctx, createFallaTicket);
  const { deps, actor } = ctx;
  const { msg, config } = deps;
  const customer = actor.role === 'customer' ? await verifiedCustomer(deps, actor) : undefined;
  if (!customer) return { response: { status: 'flow_started', flow: 'falla' }, startFlow: { flow: 'falla' } };

  const open = args.newProblem === true ? undefined : await latestOpenFalla(deps, actor);
  if (open) {
    const note = msg.t('falla.noteSame', { channel: ctx.channel, words: args.description });
    const updated = await addNoteToMyTicket(deps, actor, open.folio, note);
    if (updated) {
      return {
        response: { status: 'note_added_to_open_ticket', folio: open.folio, ticketStatus: msg.t(`estado_reporte.status.${open.status}`) },
        reply: { text: msg.t('falla.noteAdded', { folio: open.folio }) },
      };
    }
  }
  const { incident, outage } = await fileFalla(deps, {
    customer,
    reporter: reporterOf(actor, true),
    category: args.category,
    ...(args.sinceHours !== undefined ? { sinceHours: args.sinceHours } : {}),
    description: args.description,
    channel: ctx.channel,
  });
  const priority = msg.t(`estado_reporte.priority.${incident.priority}`);
  const time = responseTime(config, incident.priority);
  return {
    response: { status: 'filed', folio: incident.folio, priority, responseTime: time, possibleOutageInZone: outage.outage },
    reply: { text: msg.t('falla.filed', { folio: incident.folio, priority, time }) },
  };
};
