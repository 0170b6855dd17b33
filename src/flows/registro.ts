import type { Vars } from '../config/messages.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { formatPhone, parsePhoneAnswer, parsePlanChoice, parseYesNo, validateFullName } from '../domain/answers.ts';
import { findPlan, findZoneByName, fold, formatMoney, planButtonTitle, planLabel, plansByPrice } from '../domain/catalog.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import { getMyService } from '../domain/customerService.ts';
import { findRecentProspect, registerProspect } from '../domain/prospects.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentAction, menuReply, yesNo } from './menu.ts';

/**
 * Sign-up: name → zone → plan → phone → summary → Prospectos row + staff alert. Slots already
 * known (entities of the first message, the WhatsApp number) are skipped. Places we do not reach
 * go to the waiting list (also entered from `cobertura` with slots `{ waitlist: true, place }`).
 */
interface Slots {
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
  waitlist?: boolean;
  place?: string;
}

const slotsOf = (ctx: FlowContext): Slots => ctx.slots as Slots;
const t = (ctx: FlowContext, key: string, vars?: Vars): string => ctx.deps.msg.t(`registro.${key}`, vars);
const button = (ctx: FlowContext, id: string, key: string): QuickReply => ({ id, title: t(ctx, `buttons.${key}`) });
const menuButton = (ctx: FlowContext): QuickReply => ({ id: 'menu', title: ctx.deps.msg.t('common.buttons.menu') });

function zoneQuestion(ctx: FlowContext, text = t(ctx, 'askZone')): Reply {
  const zones = ctx.deps.config.zones.map((z) => ({ id: `zona:${z.name}`, title: z.name.slice(0, 20) }));
  return { text, quickReplies: [...zones, button(ctx, 'zona:otra', 'otherZone')] };
}

function planQuestion(ctx: FlowContext, text = t(ctx, 'askPlan')): Reply {
  const { config } = ctx.deps;
  return { text, quickReplies: plansByPrice(config).map((p) => ({ id: `plan:${p.mbps}`, title: planButtonTitle(config, p) })) };
}

function phoneQuestion(ctx: FlowContext, text?: string): Reply {
  const canShare = ctx.channel === 'telegram';
  return { text: text ?? t(ctx, canShare ? 'askPhoneOrContact' : 'askPhone'), ...(canShare ? { requestContact: true } : {}) };
}

function summary(ctx: FlowContext, text?: string): Reply {
  const s = slotsOf(ctx);
  const plan = findPlan(ctx.deps.config, s.planMbps);
  const zone = s.colonia ? t(ctx, 'zoneWithColonia', { zone: s.zone, colonia: s.colonia }) : s.zone;
  const body = t(ctx, 'summary', { name: s.name, zone, plan: plan ? planLabel(ctx.deps.config, plan) : '', phone: formatPhone(s.phone ?? '') });
  return { text: text ? `${text}\n${body}` : body, quickReplies: [button(ctx, 'confirm', 'confirm'), button(ctx, 'edit', 'edit')] };
}

const fieldQuestion = (ctx: FlowContext, text: string): Reply => ({
  text,
  quickReplies: (['name', 'zone', 'plan', 'phone'] as const).map((f) => button(ctx, `field:${f}`, f)),
});

const FIELD_WORDS: [string, RegExp][] = [
  ['name', /\bnombre\b/],
  ['zone', /\b(zona|colonia)\b/],
  ['plan', /\b(plan|megas|paquete)\b/],
  ['phone', /\b(telefono|numero|celular|cel|tel)\b/],
];
const fieldInText = (text: string): string | undefined => FIELD_WORDS.find(([, re]) => re.test(fold(text)))?.[0];

const firstName = (name: string | undefined): string => name?.split(' ')[0] ?? '';

/** Asks for the first missing slot, or shows the summary (or writes the waiting-list row). */
async function next(ctx: FlowContext, lead: Reply[] = []): Promise<StepResult> {
  const s = slotsOf(ctx);
  const { msg } = ctx.deps;
  if (!s.name) {
    const profile = s.nameOffered ? undefined : validateFullName(ctx.profileName ?? ctx.actor.name ?? '');
    s.nameOffered = true;
    if (profile) {
      s.profile = profile;
      return ask('confirmName', ...lead, yesNo(msg, t(ctx, 'confirmName', { name: profile })));
    }
    return ask('name', ...lead, { text: t(ctx, 'askName') });
  }
  if (!s.waitlist && !s.zone) return ask('zone', ...lead, zoneQuestion(ctx));
  if (!s.waitlist && !s.planMbps) return ask('plan', ...lead, planQuestion(ctx));
  if (!s.phone) {
    if (!ctx.actor.phone || s.phoneManual) return ask('phone', ...lead, phoneQuestion(ctx));
    s.phone = ctx.actor.phone;
  }
  if (s.waitlist) return writeWaitlist(ctx, lead);
  const earlier = await findRecentProspect(ctx.deps, s.phone);
  if (earlier) return done(...lead, duplicateReply(ctx, earlier.id));
  return ask('summary', ...lead, summary(ctx));
}

const duplicateReply = (ctx: FlowContext, id: string): Reply => menuReply(ctx.deps.msg, ctx.actor, t(ctx, 'duplicate', { id }));

async function writeWaitlist(ctx: FlowContext, lead: Reply[]): Promise<StepResult> {
  const s = slotsOf(ctx);
  const res = await registerProspect(ctx.deps, { name: s.name ?? '', phone: s.phone ?? '', colonia: s.place, channel: ctx.channel, status: 'lista_espera' });
  if (res.duplicate) return done(...lead, duplicateReply(ctx, res.prospect.id));
  return done(...lead, { text: t(ctx, 'waitlistDone', { name: firstName(s.name), place: s.place, id: res.prospect.id }), quickReplies: [menuButton(ctx)] });
}

const outsideOffer = (ctx: FlowContext, place: string): StepResult => {
  slotsOf(ctx).place = place;
  return ask('waitlist', yesNo(ctx.deps.msg, t(ctx, 'outside', { place })));
};

function setZone(s: Slots, cov: Extract<CoverageResult, { kind: 'covered' }>): void {
  s.zone = cov.zone.name;
  if (cov.colonia) s.colonia = cov.colonia;
  else delete s.colonia;
}

/** Applies a coverage reading: a zone fills the slot, a place outside offers the waiting list. */
function useCoverage(ctx: FlowContext, cov: CoverageResult): Promise<StepResult> | StepResult | undefined {
  if (cov.kind === 'covered') {
    setZone(slotsOf(ctx), cov);
    return next(ctx);
  }
  return cov.kind === 'outside' ? outsideOffer(ctx, cov.place) : undefined;
}

/** A confident NLU reading of another topic: retrying lets the engine switch flows. */
const otherTopic = (ctx: FlowContext): boolean =>
  ctx.input.nlu.confidence >= 0.85 && !['registro', 'cobertura', 'fuera_de_alcance'].includes(ctx.input.nlu.intent);

export const registroFlow: Flow = {
  id: 'registro',
  start: async (ctx) => {
    const s = slotsOf(ctx);
    const { config, msg } = ctx.deps;
    if (s.waitlist) return next(ctx);
    if (ctx.actor.role === 'customer') {
      const service = await getMyService(ctx.deps, ctx.actor);
      const plan = findPlan(config, service?.planMbps);
      const price = formatMoney(service?.price ?? plan?.price ?? 0, config.isp.currency);
      const text = plan ? t(ctx, 'existingCustomer', { isp: config.isp.name, name: plan.name, mbps: plan.mbps, price }) : t(ctx, 'existingCustomerNoPlan', { isp: config.isp.name });
      return done({ text, quickReplies: [{ id: intentAction('cambio_plan'), title: msg.t('common.buttons.cambio_plan') }, menuButton(ctx)] });
    }
    if (ctx.actor.phone) {
      const earlier = await findRecentProspect(ctx.deps, ctx.actor.phone);
      if (earlier) return done(duplicateReply(ctx, earlier.id));
    }
    const { entities } = ctx.input.nlu;
    const plan = parsePlanChoice(config, ctx.input.text, entities.plan_mbps);
    if (plan) s.planMbps = plan.mbps;
    const typedPhone = entities.phone ? parsePhoneAnswer(config, '', entities.phone) : undefined;
    if (typedPhone) s.phone = typedPhone;
    const cov = checkCoverage(config, ctx.input.text, entities);
    if (cov.kind === 'outside') return outsideOffer(ctx, cov.place);
    if (cov.kind === 'covered') setZone(s, cov);
    return next(ctx, [{ text: t(ctx, 'intro') }]);
  },
  steps: {
    confirmName: (ctx) => {
      const s = slotsOf(ctx);
      const answer = parseYesNo(ctx.input.text, ctx.input.action);
      if (answer === 'yes' && s.profile) s.name = s.profile;
      else if (answer === undefined) {
        const typed = validateFullName(ctx.input.text);
        if (!typed) return retry(yesNo(ctx.deps.msg, t(ctx, 'confirmName', { name: s.profile ?? '' })));
        s.name = typed;
      }
      return next(ctx);
    },
    name: (ctx) => {
      const name = validateFullName(ctx.input.text);
      if (!name) return retry({ text: t(ctx, 'nameHint') });
      slotsOf(ctx).name = name;
      return next(ctx);
    },
    zone: (ctx) => {
      const { action, text, nlu } = ctx.input;
      if (action === 'zona:otra') return ask('otherZone', { text: t(ctx, 'askOtherZone') });
      const picked = action?.startsWith('zona:') ? findZoneByName(ctx.deps.config, action.slice('zona:'.length)) : undefined;
      const cov: CoverageResult = picked ? { kind: 'covered', zone: picked } : checkCoverage(ctx.deps.config, text, nlu.entities);
      return useCoverage(ctx, cov) ?? retry(zoneQuestion(ctx, t(ctx, 'zoneHint')));
    },
    otherZone: (ctx) => {
      const { text, nlu } = ctx.input;
      const known = checkCoverage(ctx.deps.config, text, nlu.entities);
      const cov = known.kind === 'unknown' && !otherTopic(ctx) ? checkCoverage(ctx.deps.config, text, {}, { anyPlace: true }) : known;
      return useCoverage(ctx, cov) ?? retry({ text: t(ctx, 'otherZoneHint') });
    },
    waitlist: (ctx) => {
      const answer = parseYesNo(ctx.input.text, ctx.input.action);
      if (answer === 'no') return done(menuReply(ctx.deps.msg, ctx.actor, t(ctx, 'waitlistDeclined')));
      if (answer !== 'yes') return retry(yesNo(ctx.deps.msg, t(ctx, 'waitlistHint')));
      const s = slotsOf(ctx);
      s.waitlist = true;
      delete s.zone;
      delete s.colonia;
      delete s.planMbps;
      return next(ctx);
    },
    plan: (ctx) => {
      const { action, text, nlu } = ctx.input;
      const { config } = ctx.deps;
      const plan = action?.startsWith('plan:') ? findPlan(config, Number(action.slice('plan:'.length))) : parsePlanChoice(config, text, nlu.entities.plan_mbps);
      // A question about plans here ("el de 30", "¿cuál conviene?") is answered in place, not as a new topic.
      if (!plan) return nlu.intent === 'planes' ? ask('plan', planQuestion(ctx, t(ctx, 'planHint'))) : retry(planQuestion(ctx, t(ctx, 'planHint')));
      slotsOf(ctx).planMbps = plan.mbps;
      return next(ctx);
    },
    phone: (ctx) => {
      const { contact, text, nlu } = ctx.input;
      const { config } = ctx.deps;
      const phone = contact ? parsePhoneAnswer(config, contact.phone) : parsePhoneAnswer(config, text, nlu.entities.phone);
      if (!phone) return retry(phoneQuestion(ctx, t(ctx, 'phoneHint')));
      slotsOf(ctx).phone = phone;
      return next(ctx);
    },
    summary: async (ctx) => {
      const s = slotsOf(ctx);
      const { action, text } = ctx.input;
      const answer = action === 'confirm' ? 'yes' : action === 'edit' ? 'no' : parseYesNo(text, action);
      const wantsEdit = answer === 'no' || /\b(corregir|cambiar|editar)\b/.test(fold(text));
      if (wantsEdit) return ask('field', fieldQuestion(ctx, t(ctx, 'askField')));
      if (answer !== 'yes') return retry(summary(ctx, t(ctx, 'summaryHint')));
      const res = await registerProspect(ctx.deps, {
        name: s.name ?? '',
        phone: s.phone ?? '',
        zone: s.zone,
        colonia: s.colonia,
        planMbps: s.planMbps,
        channel: ctx.channel,
      });
      if (res.duplicate) return done(duplicateReply(ctx, res.prospect.id));
      return done({ text: t(ctx, 'success', { name: firstName(s.name), id: res.prospect.id }), quickReplies: [menuButton(ctx)] });
    },
    field: (ctx) => {
      const s = slotsOf(ctx);
      const field = ctx.input.action?.startsWith('field:') ? ctx.input.action.slice('field:'.length) : fieldInText(ctx.input.text);
      switch (field) {
        case 'name':
          delete s.name;
          break;
        case 'zone':
          delete s.zone;
          delete s.colonia;
          break;
        case 'plan':
          delete s.planMbps;
          break;
        case 'phone':
          delete s.phone;
          s.phoneManual = true;
          break;
        default:
          return retry(fieldQuestion(ctx, t(ctx, 'fieldHint')));
      }
      return next(ctx);
    },
  },
};
