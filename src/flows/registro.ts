import type { Reply } from '../core/types.ts';
import { parsePhoneAnswer, parsePlanChoice, parseYesNo, validateFullName } from '../domain/answers.ts';
import { findPlan, fold, formatMoney } from '../domain/catalog.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import { getMyService } from '../domain/customerService.ts';
import { findRecentProspect, InvalidProspectError, registerProspect, type ProspectField, type ProspectInput, type RegisterResult } from '../domain/prospects.ts';
import { isOtherTopic } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton, menuReply, yesNo, zoneFromAction } from './menu.ts';
import { fieldInText, fieldQuestion, firstName, phoneQuestion, planQuestion, slotsOf, summary, t, zoneQuestion, type Slots } from './registroReplies.ts';

/**
 * Sign-up: name → zone → plan → phone → summary → Prospectos row + staff alert. Slots already
 * known (entities of the first message, the WhatsApp number) are skipped. Places we do not reach
 * go to the waiting list (also entered from `cobertura` with slots `{ waitlist: true, place }`).
 * An earlier request is only shown for a phone the channel vouches for; a typed phone is always
 * written (staff merge duplicates), so nobody learns about someone else's request.
 */

/** Intents whose words are answers here (a place, a plan), not a change of topic. */
const RELATED_INTENTS = ['registro', 'cobertura'];

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
    s.phoneVouched = true;
  }
  if (s.waitlist) return writeWaitlist(ctx, lead);
  const earlier = s.phoneVouched ? await findRecentProspect(ctx.deps, s.phone) : undefined;
  if (earlier) return done(...lead, duplicateReply(ctx, earlier.id));
  return ask('summary', ...lead, summary(ctx));
}

const duplicateReply = (ctx: FlowContext, id: string): Reply => menuReply(ctx.deps.msg, ctx.actor, t(ctx, 'duplicate', { id }));

/** Slots each invalid field clears, so `next` asks it again. */
const CLEAR: Record<ProspectField, (keyof Slots)[]> = {
  name: ['name', 'profile'],
  phone: ['phone', 'phoneVouched'],
  zone: ['zone', 'colonia'],
  plan: ['planMbps'],
  place: ['place', 'waitlist'],
};

/**
 * Writes the row. Answers are validated as they come, but the config may change under a long
 * conversation (a plan or zone removed): then the invalid answer is asked again with a hint.
 */
async function write(ctx: FlowContext, input: Omit<ProspectInput, 'channel' | 'phoneVouched'>): Promise<RegisterResult | StepResult> {
  const s = slotsOf(ctx);
  try {
    return await registerProspect(ctx.deps, { ...input, channel: ctx.channel, phoneVouched: s.phoneVouched === true });
  } catch (err) {
    if (!(err instanceof InvalidProspectError)) throw err;
    for (const key of CLEAR[err.field]) delete s[key];
    if (err.field === 'phone') s.phoneManual = true;
    const lead = { text: t(ctx, 'invalidAnswer') };
    return err.field === 'place' ? ask('otherZone', lead, { text: t(ctx, 'askOtherZone') }) : next(ctx, [lead]);
  }
}

const isResult = (r: RegisterResult | StepResult): r is RegisterResult => 'prospect' in r;

async function writeWaitlist(ctx: FlowContext, lead: Reply[]): Promise<StepResult> {
  const s = slotsOf(ctx);
  const res = await write(ctx, { name: s.name ?? '', phone: s.phone ?? '', colonia: s.place, status: 'lista_espera' });
  if (!isResult(res)) return res;
  if (res.duplicate) return done(...lead, duplicateReply(ctx, res.prospect.id));
  return done(...lead, { text: t(ctx, 'waitlistDone', { name: firstName(s.name), place: s.place, id: res.prospect.id }), quickReplies: [menuButton(ctx.deps.msg)] });
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
      return done({ text, quickReplies: [intentButton(msg, 'cambio_plan'), menuButton(msg)] });
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
      const picked = zoneFromAction(ctx.deps.config, action);
      const cov: CoverageResult = picked ? { kind: 'covered', zone: picked } : checkCoverage(ctx.deps.config, text, nlu.entities);
      return useCoverage(ctx, cov) ?? retry(zoneQuestion(ctx, t(ctx, 'zoneHint')));
    },
    otherZone: (ctx) => {
      const { text, nlu } = ctx.input;
      const known = checkCoverage(ctx.deps.config, text, nlu.entities);
      const cov = known.kind === 'unknown' && !isOtherTopic(ctx, RELATED_INTENTS) ? checkCoverage(ctx.deps.config, text, {}, { anyPlace: true }) : known;
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
      if (!plan) return retry(planQuestion(ctx, t(ctx, 'planHint')));
      slotsOf(ctx).planMbps = plan.mbps;
      return next(ctx);
    },
    phone: (ctx) => {
      const { contact, text, nlu } = ctx.input;
      const { config } = ctx.deps;
      const phone = contact ? parsePhoneAnswer(config, contact.phone) : parsePhoneAnswer(config, text, nlu.entities.phone);
      if (!phone) return retry(phoneQuestion(ctx, t(ctx, 'phoneHint')));
      const s = slotsOf(ctx);
      s.phone = phone;
      // Only Telegram vouches that a shared contact is the sender's own.
      s.phoneVouched = ctx.channel === 'telegram' && contact?.own === true;
      return next(ctx);
    },
    summary: async (ctx) => {
      const s = slotsOf(ctx);
      const { action, text } = ctx.input;
      const answer = action === 'confirm' ? 'yes' : action === 'edit' ? 'no' : parseYesNo(text, action);
      const wantsEdit = answer === 'no' || /\b(corregir|cambiar|editar)\b/.test(fold(text));
      if (wantsEdit) return ask('field', fieldQuestion(ctx, t(ctx, 'askField')));
      if (answer !== 'yes') return retry(summary(ctx, t(ctx, 'summaryHint')));
      const res = await write(ctx, { name: s.name ?? '', phone: s.phone ?? '', zone: s.zone, colonia: s.colonia, planMbps: s.planMbps });
      if (!isResult(res)) return res;
      if (res.duplicate) return done(duplicateReply(ctx, res.prospect.id));
      return done({ text: t(ctx, 'success', { name: firstName(s.name), id: res.prospect.id }), quickReplies: [menuButton(ctx.deps.msg)] });
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
          delete s.phoneVouched;
          s.phoneManual = true;
          break;
        default:
          return retry(fieldQuestion(ctx, t(ctx, 'fieldHint')));
      }
      return next(ctx);
    },
  },
};
