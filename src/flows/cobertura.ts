import type { Vars } from '../config/messages.ts';
import type { Reply } from '../core/types.ts';
import { parseYesNo } from '../domain/answers.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import { isOtherTopic } from './answerParsing.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentAction, intentButton, menuButton, menuReply, yesNo, zoneFromAction, zoneQuickReplies } from './menu.ts';

/**
 * Coverage by zone: a configured zone or one of its colonias → yes, with plans and sign-up; any
 * other place → not yet, with the waiting list (written by `registro` in waiting-list mode).
 */
const t = (ctx: FlowContext, key: string, vars?: Vars): string => ctx.deps.msg.t(`cobertura.${key}`, vars);

function placeQuestion(ctx: FlowContext, text: string): Reply {
  return { text, quickReplies: [...zoneQuickReplies(ctx.deps.config), { id: 'zona:otra', title: t(ctx, 'buttons.otherPlace') }] };
}

function answer(ctx: FlowContext, cov: CoverageResult): StepResult | undefined {
  const { msg } = ctx.deps;
  if (cov.kind === 'covered') {
    const place = cov.colonia ? t(ctx, 'placeInZone', { colonia: cov.colonia, zone: cov.zone.name }) : t(ctx, 'zoneOnly', { zone: cov.zone.name });
    return done({
      text: t(ctx, 'covered', { place }),
      quickReplies: [
        { id: intentAction('planes'), title: t(ctx, 'buttons.planes') },
        intentButton(msg, 'registro'),
        menuButton(msg),
      ],
    });
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
    waitlist: (ctx) => {
      const reply = parseYesNo(ctx.input.text, ctx.input.action);
      if (reply === 'no') return done(menuReply(ctx.deps.msg, ctx.actor, ctx.deps.msg.t('registro.waitlistDeclined')));
      if (reply !== 'yes') return retry(yesNo(ctx.deps.msg, t(ctx, 'waitlistHint')));
      return switchTo('registro', [], { waitlist: true, place: ctx.slots.place });
    },
  },
};
