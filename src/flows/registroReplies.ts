import type { Vars } from '../config/messages.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { firstNameOf, formatPhone } from '../domain/answers.ts';
import { formatClock } from '../domain/businessHours.ts';
import { findPlan, fold, planLabel } from '../domain/catalog.ts';
import type { FlowContext } from './flow.ts';
import { menuButton, yesNo, zoneQuickReplies } from './menu.ts';
import { planButtons } from './planes.ts';

/** The registro flow's state and the questions it asks (the flow itself is in registro.ts). */

/** What the sign-up has gathered so far (the flow's slots). */
export interface Slots {
  name?: string;
  /** The profile name offered for confirmation. */
  profile?: string;
  nameOffered?: boolean;
  zone?: string;
  colonia?: string;
  planMbps?: number;
  phone?: string;
  /** The phone must be typed (the person chose to correct the one the channel gave). */
  phoneManual?: boolean;
  /** `phone` is the sender's as the channel vouches (WhatsApp number, Telegram own contact). */
  phoneVouched?: boolean;
  waitlist?: boolean;
  place?: string;
}

export const slotsOf = (ctx: FlowContext): Slots => ctx.slots as Slots;
export const t = (ctx: FlowContext, key: string, vars?: Vars): string => ctx.deps.msg.t(`registro.${key}`, vars);
const button = (ctx: FlowContext, id: string, key: string): QuickReply => ({ id, title: t(ctx, `buttons.${key}`) });

/** The choices plus "Menú", unless that would pass the 10 quick replies a channel shows. */
export const withMenu = (ctx: FlowContext, choices: QuickReply[]): QuickReply[] => (choices.length < 10 ? [...choices, menuButton(ctx.deps.msg)] : choices);

export function confirmNameQuestion(ctx: FlowContext, text = t(ctx, 'confirmName', { name: slotsOf(ctx).profile ?? '' })): Reply {
  const reply = yesNo(ctx.deps.msg, text);
  return { ...reply, quickReplies: withMenu(ctx, reply.quickReplies ?? []) };
}

export const nameQuestion = (ctx: FlowContext, text = t(ctx, 'askName')): Reply => ({ text, quickReplies: withMenu(ctx, []) });

export function zoneQuestion(ctx: FlowContext, text = t(ctx, 'askZone')): Reply {
  return { text, quickReplies: withMenu(ctx, [...zoneQuickReplies(ctx.deps.config), button(ctx, 'zona:otra', 'otherZone')]) };
}

export function planQuestion(ctx: FlowContext, text = t(ctx, 'askPlan')): Reply {
  return { text, quickReplies: withMenu(ctx, planButtons(ctx)) };
}

export function phoneQuestion(ctx: FlowContext, text?: string): Reply {
  const canShare = ctx.channel === 'telegram';
  return { text: text ?? t(ctx, canShare ? 'askPhoneOrContact' : 'askPhone'), quickReplies: withMenu(ctx, []), ...(canShare ? { requestContact: true } : {}) };
}

/** "Poniente (Las Flores)" or "Poniente". */
export function zoneText(ctx: FlowContext): string {
  const s = slotsOf(ctx);
  return s.colonia ? t(ctx, 'zoneWithColonia', { zone: s.zone, colonia: s.colonia }) : (s.zone ?? '');
}

export function summary(ctx: FlowContext, text?: string): Reply {
  const s = slotsOf(ctx);
  const plan = findPlan(ctx.deps.config, s.planMbps);
  const body = t(ctx, 'summary', { name: s.name, zone: zoneText(ctx), plan: plan ? planLabel(ctx.deps.msg, ctx.deps.config, plan) : '', phone: formatPhone(s.phone ?? '') });
  return { text: text ? `${text}\n${body}` : body, quickReplies: [button(ctx, 'confirm', 'confirm'), button(ctx, 'edit', 'edit')] };
}

export const fieldQuestion = (ctx: FlowContext, text: string): Reply => ({
  text,
  quickReplies: (['name', 'zone', 'plan', 'phone'] as const).map((f) => button(ctx, `field:${f}`, f)),
});

export type Field = 'name' | 'zone' | 'plan' | 'phone';

const FIELD_WORDS: [Field, RegExp][] = [
  ['name', /\b(nombre|apellido)\b/],
  ['zone', /\b(zona|colonia)\b/],
  ['plan', /\b(plan|megas|paquete)\b/],
  ['phone', /\b(telefono|numero|celular|cel|tel|whatsapp)\b/],
];
export const fieldInText = (text: string): Field | undefined => FIELD_WORDS.find(([, re]) => re.test(fold(text)))?.[0];

export const firstName = (name: string | undefined): string => firstNameOf(name) ?? '';

/** "Anotado: zona Poniente (Las Flores), plan Plus 50 Mbps…" for slots filled from an answer to another question. */
export function notedReply(ctx: FlowContext, filled: Field[]): Reply | undefined {
  const s = slotsOf(ctx);
  const plan = findPlan(ctx.deps.config, s.planMbps);
  const items = filled.map((f) =>
    f === 'zone' ? t(ctx, 'noted.zone', { zone: zoneText(ctx) }) : f === 'plan' && plan ? t(ctx, 'noted.plan', { plan: planLabel(ctx.deps.msg, ctx.deps.config, plan) }) : f === 'phone' ? t(ctx, 'noted.phone', { phone: formatPhone(s.phone ?? '') }) : '',
  );
  const text = items.filter(Boolean).join(', ');
  return text ? { text: t(ctx, 'noted.lead', { items: text }) } : undefined;
}

/** "lunes a sábado", "lunes, miércoles y viernes", "todos los días" from the configured business days. */
function daysText(ctx: FlowContext, days: readonly number[]): string {
  const { msg } = ctx.deps;
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const name = (d: number): string => msg.t(`common.days.d${d}`);
  if (sorted.length >= 7) return msg.t('common.everyDay');
  const contiguous = sorted.every((d, i) => i === 0 || d === (sorted[i - 1] ?? d) + 1);
  const first = sorted[0] ?? 0;
  const last = sorted.at(-1) ?? first;
  if (sorted.length === 1) return name(first);
  if (contiguous && sorted.length >= 3) return msg.t('common.dayRange', { from: name(first), to: name(last) });
  return msg.t('common.listAnd', { items: sorted.slice(0, -1).map(name).join(', '), last: name(last) });
}

/** The success text: the reference and when a technician calls (business days and hours from config). */
export function successText(ctx: FlowContext, id: string): string {
  const hours = ctx.deps.config.businessHours;
  return t(ctx, 'success', { name: firstName(slotsOf(ctx).name), id, days: daysText(ctx, hours.days), open: formatClock(hours.open), close: formatClock(hours.close) });
}
