import type { Messages } from '../config/messages.ts';
import type { IspConfig } from '../config/schema.ts';
import type { Actor } from '../core/types.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { Customer, FallaCategory, Incident, IncidentType, NewIncident, Priority } from '../sheets/records.ts';
import { startHandoff } from './handoff.ts';
import { resolveZone } from './catalog.ts';
import { checkMassOutage, type OutageCheck } from './massOutage.ts';
import { accountLabel, reporterNote, reporterOf, type Reporter } from './reporter.ts';

/** Tickets (the Incidentes tab): priority rules, filing, the actor's own tickets, formatting. */

export const FALLA_CATEGORIES: readonly FallaCategory[] = ['sin_internet', 'lento', 'intermitente', 'otro'];
export const isFallaCategory = (v: string): v is FallaCategory => (FALLA_CATEGORIES as readonly string[]).includes(v);

const LEVELS: readonly Priority[] = ['baja', 'media', 'alta'];

/** Priority of a falla by category (config), one level up once it is older than `escalateAfterHours`. */
export function fallaPriority(config: IspConfig, category: FallaCategory, sinceHours?: number): Priority {
  const base = config.incidents.priority[category];
  if (sinceHours === undefined || sinceHours < config.incidents.escalateAfterHours) return base;
  return LEVELS[Math.min(LEVELS.indexOf(base) + 1, LEVELS.length - 1)] ?? base;
}

export const responseTime = (config: IspConfig, priority: Priority): string => config.incidents.responseTime[priority];

/** Priority of the tickets that are not fallas (staff work queues). */
export const TICKET_PRIORITY: Record<Exclude<IncidentType, 'falla'>, Priority> = {
  pago: 'media',
  cambio_plan: 'baja',
  cancelacion: 'alta',
  retencion: 'media',
  humano: 'alta',
};

/** Who a ticket is about, with the zone spelled as configured ("Zona Norte" → "Norte"). */
export function ticketOwner(config: IspConfig, customer: Customer): Pick<NewIncident, 'customerId' | 'name' | 'phone' | 'zone'> {
  return { customerId: customer.id, name: customer.name, phone: customer.phone, zone: resolveZone(config, customer.zone)?.name ?? customer.zone };
}

export interface TicketInput {
  type: IncidentType;
  priority: Priority;
  /** The account: the verified customer, or what an unverified reference points at (maybe nothing). */
  customer?: Customer;
  reporter: Reporter;
  /** A name for a ticket about no account (the channel profile name). */
  name?: string;
  description: string;
  channel: string;
  category?: FallaCategory;
  /** ISO timestamp of when the problem started. */
  since?: string;
}

/** Writes a ticket; its notes start with who reported it and whether the account was verified. */
export async function fileTicket(deps: Pick<FlowDeps, 'config' | 'msg' | 'store'>, input: TicketInput): Promise<Incident> {
  const { customer, reporter, name, ...rest } = input;
  const owner = customer
    ? ticketOwner(deps.config, customer)
    : { ...(name ? { name } : {}), ...(reporter.phone ? { phone: reporter.phone } : {}) };
  return deps.store.createIncident({ ...rest, ...owner, notes: reporterNote(deps.msg, reporter) });
}

export interface FallaReport {
  /** The account; undefined when an unverified reference matched nothing (staff verify). */
  customer?: Customer;
  reporter: Reporter;
  category: FallaCategory;
  /** How long ago the problem started, when the customer said. */
  sinceHours?: number;
  description: string;
  channel: string;
}

export interface FiledFalla {
  incident: Incident;
  outage: OutageCheck;
}

/** Writes a falla ticket, alerts staff when it is alta, and checks the zone for a mass outage. */
export async function fileFalla(deps: FlowDeps, report: FallaReport): Promise<FiledFalla> {
  const now = deps.clock();
  const priority = fallaPriority(deps.config, report.category, report.sinceHours);
  const incident = await fileTicket(deps, {
    type: 'falla',
    priority,
    category: report.category,
    ...(report.customer ? { customer: report.customer } : {}),
    reporter: report.reporter,
    ...(report.sinceHours !== undefined ? { since: new Date(now.getTime() - report.sinceHours * 3600_000).toISOString() } : {}),
    description: report.description,
    channel: report.channel,
  });
  if (priority === 'alta') {
    await deps.notifier.notifyStaff({
      kind: 'falla_alta',
      text: deps.msg.t('falla.staffAlta', {
        folio: incident.folio,
        account: accountLabel(deps.msg, report.customer, report.reporter),
        zone: incident.zone ?? '-',
        category: deps.msg.t(`falla.cat.${report.category}`),
        description: report.description,
      }),
      ref: incident.folio,
      at: now.toISOString(),
    });
  }
  const outage = await checkMassOutage(deps, incident.zone, incident.folio);
  return { incident, outage };
}

const newestFirst = (a: Incident, b: Incident): number => b.createdAt.localeCompare(a.createdAt) || b.folio.localeCompare(a.folio);

/** The actor's newest open falla ticket (nothing for an actor who is not a verified customer). */
export async function latestOpenFalla(deps: FlowDeps, actor: Actor): Promise<Incident | undefined> {
  if (!actor.customerId) return undefined;
  const rows = await deps.store.listIncidents({ customerId: actor.customerId, type: 'falla', status: 'open' });
  return rows.sort(newestFirst)[0];
}

/** The actor's own open tickets, newest first. */
export async function listMyOpenTickets(deps: FlowDeps, actor: Actor, limit = 5): Promise<Incident[]> {
  if (!actor.customerId) return [];
  const rows = await deps.store.listIncidents({ customerId: actor.customerId, status: 'open' });
  return rows.sort(newestFirst).slice(0, limit);
}

/** One ticket by folio, only when it belongs to the actor. */
export async function findMyTicket(deps: FlowDeps, actor: Actor, folio: string): Promise<Incident | undefined> {
  if (!actor.customerId) return undefined;
  const incident = await deps.store.getIncident(canonicalFolio(folio) ?? folio.trim().toUpperCase());
  return incident && incident.customerId === actor.customerId ? incident : undefined;
}

export function appendNote(existing: string | undefined, note: string, now: Date): string {
  const line = `[${now.toISOString().slice(0, 16).replace('T', ' ')}] ${note.trim()}`;
  return existing ? `${existing}\n${line}` : line;
}

/** Adds a note to one of the actor's own tickets. */
export async function addNoteToMyTicket(deps: FlowDeps, actor: Actor, folio: string, note: string): Promise<Incident | undefined> {
  const incident = await findMyTicket(deps, actor, folio);
  if (!incident) return undefined;
  return deps.store.updateIncident(incident.folio, { notes: appendNote(incident.notes, note, deps.clock()) });
}

/** Closes one of the actor's own open tickets, with a note saying why. */
export async function closeMyTicket(deps: FlowDeps, actor: Actor, folio: string, note: string): Promise<Incident | undefined> {
  const incident = await findMyTicket(deps, actor, folio);
  if (!incident || incident.status === 'cerrado') return undefined;
  return deps.store.updateIncident(incident.folio, { status: 'cerrado', notes: appendNote(incident.notes, note, deps.clock()) });
}

/** A folio in free text ("F-123", "f000123", "folio 123", or just "123") in canonical form `F-000123`. */
export function canonicalFolio(text: string): string | undefined {
  const m =
    /\bf\s*-?\s*(\d{1,9})\b/i.exec(text) ??
    /\b(?:folio|reporte|ticket)\s*(?:n[uú]mero|no\.?|#)?\s*(\d{1,9})\b/i.exec(text) ??
    /^\s*#?(\d{1,9})\s*$/.exec(text);
  return m?.[1] ? `F-${String(Number(m[1])).padStart(6, '0')}` : undefined;
}

/** "hace 5 min", "hace 3 h", "hace 2 días". */
export function formatAge(msg: Messages, createdAt: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - new Date(createdAt).getTime());
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return msg.t('estado_reporte.age.now');
  if (minutes < 60) return msg.t('estado_reporte.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return msg.t('estado_reporte.age.hours', { n: hours });
  const days = Math.floor(hours / 24);
  return days === 1 ? msg.t('estado_reporte.age.day') : msg.t('estado_reporte.age.days', { n: days });
}

/**
 * One line per ticket as its owner sees it: folio, type, status and age, and the priority only for
 * a falla (it tells them how soon we attend; for other tickets it is staff's internal queue order).
 */
export function formatTicket(msg: Messages, incident: Incident, now: Date): string {
  const vars = {
    folio: incident.folio,
    type: msg.t(`estado_reporte.type.${incident.type}`),
    status: msg.t(`estado_reporte.status.${incident.status}`),
    age: formatAge(msg, incident.createdAt, now),
  };
  if (incident.type !== 'falla') return msg.t('estado_reporte.ticket.lineNoPriority', vars);
  return msg.t('estado_reporte.ticket.line', { ...vars, priority: msg.t(`estado_reporte.priority.${incident.priority}`) });
}

export interface PersonRequest {
  actor: Actor;
  /** The customer row when the actor is a verified customer. */
  customer?: Customer;
  /** Fallback name (channel profile) for anyone else. */
  name?: string;
  summary: string;
  channel: string;
}

/**
 * A person is asked to take over: a `humano` ticket with the conversation summary, a staff alert,
 * and the quiet flag `quiet:<actor.key>` (value: epoch ms until when) for `handoffQuietMinutes`.
 */
export async function requestPerson(deps: FlowDeps, req: PersonRequest): Promise<Incident> {
  const { msg, config } = deps;
  const now = deps.clock();
  const incident = await fileTicket(deps, {
    type: 'humano',
    priority: TICKET_PRIORITY.humano,
    ...(req.customer ? { customer: req.customer } : {}),
    reporter: reporterOf(req.actor, req.customer !== undefined),
    ...(req.name ? { name: req.name } : {}),
    description: req.summary,
    channel: req.channel,
  });
  await deps.notifier.notifyStaff({
    kind: 'humano',
    text: msg.t('humano.staffAlert', {
      folio: incident.folio,
      who: incident.name ?? msg.t('humano.unknownPerson'),
      id: incident.customerId ?? '-',
      channel: req.channel,
      summary: req.summary,
    }),
    ref: incident.folio,
    at: now.toISOString(),
  });
  const quietMs = config.flows.handoffQuietMinutes * 60_000;
  if (quietMs > 0) await startHandoff(deps, req.actor, { until: now.getTime() + quietMs, folio: incident.folio });
  return incident;
}
