import { availability, formatClock, type Availability } from '../domain/businessHours.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { requestPerson } from '../domain/incidents.ts';
import { done, type Flow, type FlowContext } from './flow.ts';

/**
 * Hablar con una persona: a `humano` ticket with a summary of the last turns, a staff alert, and
 * when a person will answer (business hours). Then the bot stays quiet: `requestPerson` writes
 * the KV key `quiet:<actor.key>` for `flows.handoffQuietMinutes` (the agent honours it; "menú" ends it).
 */

const SUMMARY_TURNS = 6;
const TURN_CHARS = 140;
const SUMMARY_CHARS = 600;

const trim = (text: string, max: number): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
};

/** The last turns, oldest first, one line each ("Cliente: …" / "Bot: …"), plus this message. */
export function historySummary(ctx: FlowContext): string {
  const { msg } = ctx.deps;
  const turns = ctx.history.slice(-SUMMARY_TURNS).map((t) => ({ role: t.role, text: t.text }));
  const now = ctx.input.text || (ctx.input.action ? `[${ctx.input.action}]` : '');
  if (now) turns.push({ role: 'user', text: now });
  const lines = turns.map((t) => `${msg.t(t.role === 'user' ? 'humano.who.user' : 'humano.who.bot')}: ${trim(t.text, TURN_CHARS)}`);
  const summary = lines.join('\n');
  return summary ? summary.slice(-SUMMARY_CHARS) : msg.t('humano.noHistory');
}

/** "en unos minutos", "hoy a las 9:00", "mañana a las 9:00" or "el lunes a las 9:00". */
export function whenText(ctx: FlowContext, when: Availability): string {
  const { msg } = ctx.deps;
  if (when.open) return msg.t('humano.when.soon');
  const time = formatClock(when.next.time);
  if (when.next.daysAhead === 0) return msg.t('humano.when.today', { time });
  if (when.next.daysAhead === 1) return msg.t('humano.when.tomorrow', { time });
  return msg.t('humano.when.weekday', { day: msg.t(`humano.days.d${when.next.weekday}`), time });
}

export const humanoFlow: Flow = {
  id: 'humano',
  start: async (ctx) => {
    const { deps } = ctx;
    const { msg, config } = deps;
    const customer = await verifiedCustomer(deps, ctx.actor);
    const name = ctx.actor.name ?? ctx.profileName;
    const incident = await requestPerson(deps, {
      actor: ctx.actor,
      ...(customer ? { customer } : {}),
      ...(name ? { name } : {}),
      summary: historySummary(ctx),
      channel: ctx.channel,
    });
    const when = availability(config.businessHours, ctx.now);
    const key = when.open ? 'humano.handoffOpen' : 'humano.handoffClosed';
    return done({ text: msg.t(key, { folio: incident.folio, when: whenText(ctx, when) }) });
  },
  steps: {},
};
