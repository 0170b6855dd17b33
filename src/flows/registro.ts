import type { Reply } from '../core/types.ts';
import { correctionValue, isSingleName, parsePhoneAnswer, parsePlanChoice, parseYesNo, validateFullName } from '../domain/answers.ts';
import { findPlan, findZoneByName, fold, formatMoney } from '../domain/catalog.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import { getMyService } from '../domain/customerService.ts';
import { findRecentProspect, InvalidProspectError, registerProspect, type ProspectField, type ProspectInput, type RegisterResult } from '../domain/prospects.ts';
import { isOtherTopic } from './answerParsing.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton, menuReply, yesNo, zoneFromAction } from './menu.ts';
import { readPlanAnswer } from './planes.ts';
import { absorb, applyCorrection, FIX_WORDS, leadOf, setZone, type Absorbed } from './registroAnswers.ts';
import {
  confirmNameQuestion, fieldInText, fieldQuestion, firstName, nameQuestion, notedReply, phoneQuestion, planQuestion, slotsOf, successText, summary, t, zoneQuestion,
  type Field, type Slots,
} from './registroReplies.ts';

/**
 * Sign-up: name → zone → plan → phone → summary → Prospectos row + staff alert. Slots already
 * known (entities of the first message, the WhatsApp number, a zone or plan handed over by
 * cobertura / cambio de plan) are skipped. An answer that carries another slot's value ("vivo en la
 * loma" when asked the name) fills that slot and the pending question is asked again. Places we do
 * not reach go to the waiting list (also entered from `cobertura` with slots `{ waitlist: true, place }`).
 * An earlier request is only shown for a phone the channel vouches for; a typed phone is always
 * written (staff merge duplicates), so nobody learns about someone else's request.
 */

/** Intents whose words are answers here (a place, a plan), not a change of topic. */
const RELATED_INTENTS = ['registro', 'cobertura'];

/** Asks for the first missing slot, or shows the summary (or writes the waiting-list row). */
async function next(ctx: FlowContext, lead: Reply[] = []): Promise<StepResult> {
  const s = slotsOf(ctx);
  if (!s.name) {
    const profile = s.nameOffered ? undefined : validateFullName(ctx.profileName ?? ctx.actor.name ?? '');
    s.nameOffered = true;
    if (profile) {
      s.profile = profile;
      return ask('confirmName', ...lead, confirmNameQuestion(ctx));
    }
    return ask('name', ...lead, nameQuestion(ctx));
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

/** Already asked: no second sign-up offered, only a person or the menu. */
const duplicateReply = (ctx: FlowContext, id: string): Reply => ({
  text: t(ctx, 'duplicate', { id }),
  quickReplies: [intentButton(ctx.deps.msg, 'humano'), menuButton(ctx.deps.msg)],
});

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

/** Applies a coverage reading: a zone fills the slot, a place outside offers the waiting list. */
function useCoverage(ctx: FlowContext, cov: CoverageResult, lead: Reply[] = []): Promise<StepResult> | StepResult | undefined {
  if (cov.kind === 'covered') {
    setZone(slotsOf(ctx), cov);
    return next(ctx, lead);
  }
  return cov.kind === 'outside' ? outsideOffer(ctx, cov.place) : undefined;
}

/** An answer that is not the one asked: other slots filled → ask again (not a failed answer); else a retry. */
function notAnswered(ctx: FlowContext, a: Absorbed, step: string, question: Reply, hint: Reply): StepResult {
  if (a.outside) return outsideOffer(ctx, a.outside);
  return a.noted ? ask(step, a.noted, question) : retry(hint);
}

/** A correction: the value set → summary; cleared → that question again; a place outside → the waiting list. */
function correct(ctx: FlowContext, field: Field, value: string | undefined): Promise<StepResult> | StepResult {
  const res = applyCorrection(ctx, field, value);
  if (res.kind === 'outside') return outsideOffer(ctx, res.place);
  return next(ctx, res.kind === 'set' ? [{ text: t(ctx, 'corrected') }] : []);
}

async function summaryStep(ctx: FlowContext): Promise<StepResult> {
  const s = slotsOf(ctx);
  const { action, text } = ctx.input;
  if (action === 'edit') return ask('field', fieldQuestion(ctx, t(ctx, 'askField')));
  const answer = action === 'confirm' ? 'yes' : parseYesNo(text, action);
  const field = action ? undefined : fieldInText(text);
  if (field && (answer !== 'yes' || FIX_WORDS.test(fold(text)))) return correct(ctx, field, correctionValue(text));
  if (answer === 'no' || FIX_WORDS.test(fold(text))) return ask('field', fieldQuestion(ctx, t(ctx, 'askField')));
  if (answer !== 'yes') {
    const a = absorb(ctx, 'summary');
    return notAnswered(ctx, a, 'summary', summary(ctx), summary(ctx, t(ctx, 'summaryHint')));
  }
  const res = await write(ctx, { name: s.name ?? '', phone: s.phone ?? '', zone: s.zone, colonia: s.colonia, planMbps: s.planMbps });
  if (!isResult(res)) return res;
  if (res.duplicate) return done(duplicateReply(ctx, res.prospect.id));
  return done({ text: successText(ctx, res.prospect.id), quickReplies: [menuButton(ctx.deps.msg)] });
}

/** Slots handed over by another flow (cobertura, cambio de plan) are kept only when config still has them. */
function keepValidPresets(ctx: FlowContext): void {
  const s = slotsOf(ctx);
  const { config } = ctx.deps;
  if (s.zone && !findZoneByName(config, s.zone)) {
    delete s.zone;
    delete s.colonia;
  }
  if (s.planMbps !== undefined && !findPlan(config, s.planMbps)) delete s.planMbps;
}

export const registroFlow: Flow = {
  id: 'registro',
  start: async (ctx) => {
    const s = slotsOf(ctx);
    const { config, msg } = ctx.deps;
    keepValidPresets(ctx);
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
    const chosen = findPlan(config, s.planMbps);
    const intro = chosen ? t(ctx, 'introWithPlan', { name: chosen.name, mbps: chosen.mbps }) : t(ctx, 'intro');
    return next(ctx, [{ text: intro }]);
  },
  steps: {
    confirmName: (ctx) => {
      const s = slotsOf(ctx);
      const { text, action } = ctx.input;
      const answer = parseYesNo(text, action);
      if (answer === 'yes' && s.profile) {
        s.name = s.profile;
        return next(ctx, leadOf(absorb(ctx, 'name')));
      }
      // "No, es Karla Pérez" / a name typed instead of yes or no.
      const typed = validateFullName(answer === 'no' ? (correctionValue(text) ?? text.replace(/^\s*no\b[\s,.]*/i, '')) : text);
      if (typed) {
        s.name = typed;
        return next(ctx);
      }
      if (answer === 'no' || action) return next(ctx);
      const hint = isSingleName(text) ? confirmNameQuestion(ctx, t(ctx, 'surnameHint')) : confirmNameQuestion(ctx);
      return notAnswered(ctx, absorb(ctx, 'name'), 'confirmName', confirmNameQuestion(ctx), hint);
    },
    name: (ctx) => {
      const { text } = ctx.input;
      const name = validateFullName(text);
      if (name) {
        slotsOf(ctx).name = name;
        return next(ctx);
      }
      const hint = nameQuestion(ctx, t(ctx, isSingleName(text) ? 'surnameHint' : 'nameHint'));
      return notAnswered(ctx, absorb(ctx, 'name'), 'name', nameQuestion(ctx), hint);
    },
    zone: (ctx) => {
      const { action, text, nlu } = ctx.input;
      if (action === 'zona:otra') return ask('otherZone', { text: t(ctx, 'askOtherZone') });
      const picked = zoneFromAction(ctx.deps.config, action);
      const cov: CoverageResult = picked ? { kind: 'covered', zone: picked } : checkCoverage(ctx.deps.config, text, nlu.entities);
      const a = action ? {} : absorb(ctx, 'zone');
      return useCoverage(ctx, cov, leadOf(a)) ?? notAnswered(ctx, a, 'zone', zoneQuestion(ctx), zoneQuestion(ctx, t(ctx, 'zoneHint')));
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
      const read = readPlanAnswer(ctx);
      if (read?.kind === 'question') return ask('plan', read.reply, planQuestion(ctx));
      const a = ctx.input.action ? {} : absorb(ctx, 'plan');
      if (!read) return notAnswered(ctx, a, 'plan', planQuestion(ctx), planQuestion(ctx, t(ctx, 'planHint')));
      slotsOf(ctx).planMbps = read.plan.mbps;
      return next(ctx, leadOf(a));
    },
    phone: (ctx) => {
      const { contact, text, nlu } = ctx.input;
      const { config } = ctx.deps;
      const phone = contact ? parsePhoneAnswer(config, contact.phone) : parsePhoneAnswer(config, text, nlu.entities.phone);
      const a = contact ? {} : absorb(ctx, 'phone');
      if (!phone) return notAnswered(ctx, a, 'phone', phoneQuestion(ctx), phoneQuestion(ctx, t(ctx, 'phoneHint')));
      const s = slotsOf(ctx);
      s.phone = phone;
      // Only Telegram vouches that a shared contact is the sender's own.
      s.phoneVouched = ctx.channel === 'telegram' && contact?.own === true;
      return next(ctx, leadOf(a));
    },
    summary: summaryStep,
    field: (ctx) => {
      const { action, text } = ctx.input;
      const field = action?.startsWith('field:') ? (action.slice('field:'.length) as Field) : fieldInText(text);
      if (field !== 'name' && field !== 'zone' && field !== 'plan' && field !== 'phone') return retry(fieldQuestion(ctx, t(ctx, 'fieldHint')));
      return correct(ctx, field, action ? undefined : correctionValue(text));
    },
  },
};
