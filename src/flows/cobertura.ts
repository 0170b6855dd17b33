import type { Vars } from '../config/messages.ts';
import type { QuickReply, Reply } from '../core/types.ts';
import { parseYesNo } from '../domain/answers.ts';
import { fold } from '../domain/catalog.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import { isOtherTopic } from './answerParsing.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { menuButton, menuReply, yesNo, zoneFromAction, zoneQuickReplies } from './menu.ts';
import { planButtons, planList, readPlanAnswer } from './planes.ts';

/**
 * Coverage by zone: a configured zone or one of its colonias → yes, with its plans and sign-up
 * (registro starts with the zone and colonia already known, and the plan when one was picked here);
 * any other place → not yet, with the waiting list (written by `registro` in waiting-list mode).
 */
const t = (ctx: FlowContext, key: string, vars?: Vars): string => ctx.deps.msg.t(`cobertura.${key}`, vars);

function placeQuestion(ctx: FlowContext, text: string): Reply {
  return { text, quickReplies: [...zoneQuickReplies(ctx.deps.config), { id: 'zona:otra', title: t(ctx, 'buttons.otherPlace') }] };
}

const button = (ctx: FlowContext, id: string, key: string): QuickReply => ({ id, title: t(ctx, `buttons.${key}`) });

/** After "¡Sí llegamos!": the plans of that zone, sign-up, or the menu. */
const coveredQuestion = (ctx: FlowContext, text: string): Reply => ({
  text,
  quickReplies: [button(ctx, 'planes', 'planes'), button(ctx, 'contratar', 'contratar'), menuButton(ctx.deps.msg)],
});

/** The plan list with one button per plan (picking one signs up with it), sign-up and the menu. */
const plansQuestion = (ctx: FlowContext): Reply => ({
  text: `${planList(ctx)}\n\n${t(ctx, 'pickPlan')}`,
  quickReplies: [...planButtons(ctx), button(ctx, 'contratar', 'contratar'), menuButton(ctx.deps.msg)],
});

function answer(ctx: FlowContext, cov: CoverageResult): StepResult | undefined {
  const { msg } = ctx.deps;
  if (cov.kind === 'covered') {
    ctx.slots.zone = cov.zone.name;
    if (cov.colonia) ctx.slots.colonia = cov.colonia;
    else delete ctx.slots.colonia;
    const place = cov.colonia ? t(ctx, 'placeInZone', { colonia: cov.colonia, zone: cov.zone.name }) : t(ctx, 'zoneOnly', { zone: cov.zone.name });
    return ask('covered', coveredQuestion(ctx, t(ctx, 'covered', { place })));
  }
  if (cov.kind === 'outside') {
    ctx.slots.place = cov.place;
    return ask('waitlist', yesNo(msg, t(ctx, 'outside', { place: cov.place })));
  }
  return undefined;
}

/** Intents whose words are answers here (a place), not a change of topic. */
const RELATED_INTENTS = ['cobertura', 'registro'];

/** Reads a typed place; unknown names count as outside coverage unless the text is about something else. */
function readPlace(ctx: FlowContext): CoverageResult {
  const { config } = ctx.deps;
  const { text, nlu } = ctx.input;
  const known = checkCoverage(config, text, nlu.entities);
  if (known.kind !== 'unknown' || isOtherTopic(ctx, RELATED_INTENTS)) return known;
  return checkCoverage(config, text, {}, { anyPlace: true });
}

/** Sign-up with what we know: registro skips the zone (and the plan when one was picked). */
function signUp(ctx: FlowContext, planMbps?: number): StepResult {
  const { zone, colonia } = ctx.slots;
  return switchTo('registro', [], { zone, ...(colonia ? { colonia } : {}), ...(planMbps ? { planMbps } : {}) });
}

const WANTS_SIGN_UP = /\b(contrat\w*|registr\w*|instal\w*|lo quiero|me interesa|quiero (el servicio|internet))\b/;
const WANTS_PLANS = /\b(planes|paquetes|precios?|costos?|tarifas?|cuanto cuesta|cuanto sale)\b/;

export const coberturaFlow: Flow = {
  id: 'cobertura',
  start: (ctx) => {
    if (ctx.input.location) return ask('place', placeQuestion(ctx, t(ctx, 'location')));
    const cov = checkCoverage(ctx.deps.config, ctx.input.text, ctx.input.nlu.entities);
    return answer(ctx, cov) ?? ask('place', placeQuestion(ctx, t(ctx, 'askPlace')));
  },
  steps: {
    place: (ctx) => {
      const { action } = ctx.input;
      if (action === 'zona:otra') return ask('otherPlace', { text: t(ctx, 'askOtherPlace') });
      if (ctx.input.location) return ask('place', placeQuestion(ctx, t(ctx, 'location')));
      const picked = zoneFromAction(ctx.deps.config, action);
      const cov: CoverageResult = picked ? { kind: 'covered', zone: picked } : readPlace(ctx);
      return answer(ctx, cov) ?? retry(placeQuestion(ctx, t(ctx, 'placeHint')));
    },
    otherPlace: (ctx) => answer(ctx, readPlace(ctx)) ?? retry({ text: t(ctx, 'placeHint') }),
    /** After "¡Sí llegamos!": "Contratar", a plan, the plan list, a question about plans, or another place. */
    covered: (ctx) => {
      const { action, text, nlu } = ctx.input;
      const folded = fold(text);
      const plan = readPlanAnswer(ctx, undefined, { list: false });
      const picked = plan?.kind === 'plan' ? plan.plan.mbps : undefined;
      if (action === 'contratar' || WANTS_SIGN_UP.test(folded) || picked) return signUp(ctx, picked);
      // "¿y en San Pedro?": another place.
      const other = action ? undefined : answer(ctx, checkCoverage(ctx.deps.config, text, nlu.entities));
      if (other) return other;
      if (plan?.kind === 'question') return ask('covered', plan.reply, plansQuestion(ctx));
      if (action === 'planes' || WANTS_PLANS.test(folded)) return ask('covered', plansQuestion(ctx));
      const yes = parseYesNo(text, action);
      if (yes === 'yes') return signUp(ctx);
      if (yes === 'no') return done(menuReply(ctx.deps.msg, ctx.actor, t(ctx, 'noThanks')));
      return retry(coveredQuestion(ctx, t(ctx, 'coveredHint')));
    },
    waitlist: (ctx) => {
      const reply = parseYesNo(ctx.input.text, ctx.input.action);
      if (reply === 'no') return done(menuReply(ctx.deps.msg, ctx.actor, ctx.deps.msg.t('registro.waitlistDeclined')));
      if (reply !== 'yes') return retry(yesNo(ctx.deps.msg, t(ctx, 'waitlistHint')));
      return switchTo('registro', [], { waitlist: true, place: ctx.slots.place });
    },
  },
};
