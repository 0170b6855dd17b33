import type { Vars } from '../config/messages.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { formatPhone } from '../domain/answers.ts';
import { findPlan, fold, planButtonTitle, planLabel, plansByPrice } from '../domain/catalog.ts';
import type { FlowContext } from './flow.ts';
import { zoneQuickReplies } from './menu.ts';

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

export function zoneQuestion(ctx: FlowContext, text = t(ctx, 'askZone')): Reply {
  return { text, quickReplies: [...zoneQuickReplies(ctx.deps.config), button(ctx, 'zona:otra', 'otherZone')] };
}

export function planQuestion(ctx: FlowContext, text = t(ctx, 'askPlan')): Reply {
  const { config } = ctx.deps;
  return { text, quickReplies: plansByPrice(config).map((p) => ({ id: `plan:${p.mbps}`, title: planButtonTitle(config, p) })) };
}

export function phoneQuestion(ctx: FlowContext, text?: string): Reply {
  const canShare = ctx.channel === 'telegram';
  return { text: text ?? t(ctx, canShare ? 'askPhoneOrContact' : 'askPhone'), ...(canShare ? { requestContact: true } : {}) };
}

export function summary(ctx: FlowContext, text?: string): Reply {
  const s = slotsOf(ctx);
  const plan = findPlan(ctx.deps.config, s.planMbps);
  const zone = s.colonia ? t(ctx, 'zoneWithColonia', { zone: s.zone, colonia: s.colonia }) : s.zone;
  const body = t(ctx, 'summary', { name: s.name, zone, plan: plan ? planLabel(ctx.deps.msg, ctx.deps.config, plan) : '', phone: formatPhone(s.phone ?? '') });
  return { text: text ? `${text}\n${body}` : body, quickReplies: [button(ctx, 'confirm', 'confirm'), button(ctx, 'edit', 'edit')] };
}

export const fieldQuestion = (ctx: FlowContext, text: string): Reply => ({
  text,
  quickReplies: (['name', 'zone', 'plan', 'phone'] as const).map((f) => button(ctx, `field:${f}`, f)),
});

const FIELD_WORDS: [string, RegExp][] = [
  ['name', /\bnombre\b/],
  ['zone', /\b(zona|colonia)\b/],
  ['plan', /\b(plan|megas|paquete)\b/],
  ['phone', /\b(telefono|numero|celular|cel|tel)\b/],
];
export const fieldInText = (text: string): string | undefined => FIELD_WORDS.find(([, re]) => re.test(fold(text)))?.[0];

export const firstName = (name: string | undefined): string => name?.split(' ')[0] ?? '';
