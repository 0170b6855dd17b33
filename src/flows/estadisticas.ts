import type { Messages } from '../config/messages.ts';
import type { Reply } from '../core/types.ts';
import { findZoneByName, resolveZone } from '../domain/catalog.ts';
import { fuzzyZone } from '../domain/staff/common.ts';
import { getStats, type StaffStats } from '../domain/staff/stats.ts';
import { MAX_REPLY_CHARS } from '../agent/shapeReplies.ts';
import { ask, done, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton, menuReply, zoneFromAction, zoneQuickReplies } from './menu.ts';

/**
 * Staff: customers, open tickets and prospects in numbers, overall or for one zone. After the
 * numbers it waits for a zone (typos forgiven); another stats question shows the numbers again,
 * another staff question goes there, and anything else ends it quietly with the staff menu.
 */

/** A configured zone from a pressed `zona:X`, the NLU's `zona` entity, the text, or a short typo ("nrote"). */
export function zoneFromInput(ctx: FlowContext): string | undefined {
  const { config } = ctx.deps;
  const { action, text, nlu } = ctx.input;
  if (action?.startsWith('zona:')) return zoneFromAction(config, action)?.name;
  if (action) return undefined;
  return (findZoneByName(config, nlu.entities.zona) ?? resolveZone(config, text) ?? fuzzyZone(config, text))?.name;
}

/** "1 cliente" / "2 clientes": the catalogue's `<ns>.units.<unit>One|Many` with `{n}`. */
export function countText(msg: Messages, ns: string, unit: string, n: number): string {
  return msg.t(`${ns}.units.${unit}${n === 1 ? 'One' : 'Many'}`, { n });
}

const STAFF_FLOWS = ['estadisticas', 'buscar_cliente', 'finanzas'];
/** Lower than the engine's topic-change bar: between staff queries a plain request is enough. */
const SIBLING_CONFIDENCE = 0.5;
const FAREWELL_CONFIDENCE = 0.85;
/** A whole question for another staff flow wins over a zone named in it ("cuántos suspendidos hay en el centro"). */
const QUESTION_CONFIDENCE = 0.8;

/** A typed question (three words or more) that another staff flow answers: switch there, zone and all. */
export function siblingQuestion(ctx: FlowContext, current: string): StepResult | undefined {
  const { intent, confidence } = ctx.input.nlu;
  if (ctx.input.action !== undefined || intent === current || !STAFF_FLOWS.includes(intent)) return undefined;
  if (confidence < QUESTION_CONFIDENCE || ctx.input.text.trim().split(/\s+/).length < 3) return undefined;
  return switchTo(intent);
}

/**
 * For an answer a staff step could not use: another staff query ("buscar al 0008" while in
 * finanzas) switches to it, thanks/goodbye ends the flow; otherwise undefined (re-ask).
 */
export function staffTurnAway(ctx: FlowContext, current: string): StepResult | undefined {
  const { intent, confidence } = ctx.input.nlu;
  if (ctx.input.action !== undefined) return undefined;
  if (intent !== current && STAFF_FLOWS.includes(intent) && confidence >= SIBLING_CONFIDENCE) return switchTo(intent);
  if (intent === 'despedida' && confidence >= FAREWELL_CONFIDENCE) return done({ text: ctx.deps.msg.t('common.goodbye') });
  return undefined;
}

function sections(ctx: FlowContext, s: StaffStats): string[] {
  const { msg, config } = ctx.deps;
  const c = s.customers;
  const plan = (mbps: number | null): string => (mbps === null ? msg.t('estadisticas.noPlan') : msg.t('estadisticas.planItem', { mbps }));
  const head = [
    s.zone ? msg.t('estadisticas.titleZone', { zone: s.zone }) : msg.t('estadisticas.title', { isp: config.isp.name }),
    msg.t('estadisticas.customers', { total: c.total, active: c.byStatus.activo, suspended: c.byStatus.suspendido, cancelled: c.byStatus.cancelado }),
  ];
  if (!s.zone && c.activeByZone.length) {
    head.push(msg.t('estadisticas.byZone', { list: c.activeByZone.map((z) => `${z.key} ${z.count}`).join(' · ') }));
  }
  if (c.activeByPlan.length) head.push(msg.t('estadisticas.byPlan', { list: c.activeByPlan.map((p) => `${plan(p.key)} ${p.count}`).join(' · ') }));

  const t = s.tickets;
  const tail = [msg.t('estadisticas.tickets', { open: t.open, ...t.byPriority })];
  if (t.byType.length) tail.push(msg.t('estadisticas.byType', { list: t.byType.map((x) => `${msg.t(`estadisticas.types.${x.key}`)} ${x.count}`).join(' · ') }));
  tail.push(msg.t('estadisticas.prospects', { days: s.prospects.days, recent: s.prospects.recent, waiting: s.prospects.waitingList }));
  return [head.join('\n'), tail.join('\n')];
}

/** The numbers in one compact reply (two when they would not fit), the last one asking for a zone. */
function statsReplies(ctx: FlowContext, s: StaffStats): Reply[] {
  const parts = [...sections(ctx, s), ctx.deps.msg.t('estadisticas.askZone')];
  const { msg, config } = ctx.deps;
  const quickReplies = [
    ...zoneQuickReplies(config),
    ...(s.zone ? [intentButton(msg, 'estadisticas')] : []),
    intentButton(msg, 'finanzas'),
    intentButton(msg, 'buscar_cliente'),
    menuButton(msg),
  ];
  const whole = parts.join('\n\n');
  if (whole.length <= MAX_REPLY_CHARS) return [{ text: whole, quickReplies }];
  const [head = '', ...rest] = parts;
  return [{ text: head }, { text: rest.join('\n\n'), quickReplies }];
}

async function show(ctx: FlowContext, zone: string | undefined) {
  const stats = await getStats(ctx.deps, ctx.actor, { now: ctx.now, ...(zone ? { zone } : {}) });
  return ask('zone', ...statsReplies(ctx, stats));
}

export const estadisticasFlow: Flow = {
  id: 'estadisticas',
  roles: ['staff'],
  start: (ctx) => show(ctx, zoneFromInput(ctx)),
  steps: {
    zone: (ctx) => {
      const elsewhere = siblingQuestion(ctx, 'estadisticas');
      if (elsewhere) return elsewhere;
      const zone = zoneFromInput(ctx);
      if (zone) return show(ctx, zone);
      const { intent, confidence } = ctx.input.nlu;
      // Another stats question ("¿cuántos reportes abiertos hay?"): the numbers again.
      if (!ctx.input.action && intent === 'estadisticas' && confidence >= SIBLING_CONFIDENCE) return show(ctx, undefined);
      // Not a zone nor a question for us: leave quietly, with the staff menu (no "no te entendí" loop).
      return staffTurnAway(ctx, 'estadisticas') ?? done(menuReply(ctx.deps.msg, ctx.actor));
    },
  },
};
