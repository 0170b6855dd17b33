import type { Reply } from '../core/types.ts';
import { fold, resolveZone } from '../domain/catalog.ts';
import { addNoteToMyTicket, fileFalla, formatAge, isFallaCategory, latestOpenFalla, responseTime } from '../domain/incidents.ts';
import { isKnownOutage } from '../domain/massOutage.ts';
import type { Customer, FallaCategory } from '../sheets/records.ts';
import { asksPaymentMethods, isWifiSetupQuestion, mentionsPaid, mentionsRestarted, parseCategory, parseSinceHours, parseYesNo, sinceFromText } from './answerParsing.ts';
import { categoryReply, restartedReply, restartStepsReply, sinceReply, suspendedReply, wifiTip } from './fallaReplies.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { identify, identifyAnswer, IDENTIFY_STEP, isVerified, pendingNote, slotNumber, slotString, ticketSubject } from './identifyCustomer.ts';
import { handoffOffer, menuButton } from './menu.ts';

/**
 * Reporting a falla: identify → same as an open ticket? → what happens → since when → modem
 * restarted? (restart steps; fixed → no ticket) → ticket with priority and response time.
 * A restart mentioned in any answer (or the first message) skips that question. A known mass
 * outage in a verified customer's zone is announced first and skips the restart steps. A verified
 * customer suspended for a balance learns that first (pay, or "es otra falla" to go on). A wifi
 * name/password question gets a short tip instead of a ticket. Someone who only typed a number learns nothing of that account (not its open tickets,
 * nor an outage in its zone): the report is filed "pendiente de verificar".
 */

const MAX_DESCRIPTION = 500;

function words(ctx: FlowContext): string[] {
  const w = ctx.slots.words;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

function keepWords(ctx: FlowContext): void {
  const text = ctx.input.text.trim();
  if (text) ctx.slots.words = [...words(ctx), text];
}

const category = (ctx: FlowContext): FallaCategory | undefined => {
  const c = slotString(ctx, 'category');
  return c && isFallaCategory(c) ? c : undefined;
};

/** Any answer may say the modem was already restarted ("ya lo reinicié"): never ask it then. */
function noteRestart(ctx: FlowContext): void {
  if (mentionsRestarted(ctx.input.text)) ctx.slots.restarted = true;
}

/** The first message may already say what and since when ("no tengo internet desde ayer"). */
function prefill(ctx: FlowContext): void {
  const text = ctx.input.text;
  if (!text) return;
  noteRestart(ctx);
  const cat = parseCategory(text);
  const since = ctx.input.nlu.entities.since?.hoursAgo ?? sinceFromText(text);
  if (cat) ctx.slots.category = cat;
  if (since !== undefined) ctx.slots.sinceHours = Math.max(0, since);
  if (cat || since !== undefined || text.split(/\s+/).length >= 5) keepWords(ctx);
}

async function afterIdentify(ctx: FlowContext, own: Customer | undefined): Promise<StepResult> {
  if (own) ctx.slots.zone = resolveZone(ctx.deps.config, own.zone)?.name ?? own.zone;
  // Suspended for a balance: that is why there is no service; say so before filing anything.
  if (own && own.status === 'suspendido' && (own.balance ?? 0) > 0) {
    ctx.slots.owed = own.balance ?? 0;
    return ask('suspended', suspendedReply(ctx, 'falla.suspended'));
  }
  return checkOpenTicket(ctx);
}

async function checkOpenTicket(ctx: FlowContext): Promise<StepResult> {
  if (isVerified(ctx)) {
    const open = await latestOpenFalla(ctx.deps, ctx.actor);
    if (open) {
      ctx.slots.openFolio = open.folio;
      const { msg } = ctx.deps;
      return ask('same', {
        text: msg.t('falla.openTicket', {
          folio: open.folio,
          status: msg.t(`estado_reporte.status.${open.status}`),
          age: formatAge(msg, open.createdAt, ctx.now),
        }),
        quickReplies: [
          { id: 'same', title: msg.t('falla.buttons.same') },
          { id: 'new', title: msg.t('falla.buttons.new') },
        ],
      });
    }
  }
  return beginQuestions(ctx);
}

async function beginQuestions(ctx: FlowContext): Promise<StepResult> {
  // Only a verified customer has a zone slot: a typed number never reveals an outage in its zone.
  const zone = slotString(ctx, 'zone');
  const prefix: Reply[] = [];
  if (zone && isVerified(ctx) && (await isKnownOutage(ctx.deps, zone))) {
    ctx.slots.outageKnown = true;
    prefix.push({ text: ctx.deps.msg.t('falla.outageKnown', { zone }) });
  }
  return next(ctx, prefix);
}

/** Asks the next missing answer, or files the ticket. */
async function next(ctx: FlowContext, prefix: Reply[] = []): Promise<StepResult> {
  const cat = category(ctx);
  if (!cat) return ask('category', ...prefix, categoryReply(ctx, 'falla.askCategory'));
  if (cat === 'otro' && words(ctx).length === 0) return ask('describe', ...prefix, { text: ctx.deps.msg.t('falla.askDescribe') });
  if (slotNumber(ctx, 'sinceHours') === undefined) return ask('since', ...prefix, sinceReply(ctx, 'falla.askSince'));
  if (ctx.slots.outageKnown !== true && ctx.slots.restarted === undefined) {
    return ask('restarted', ...prefix, restartedReply(ctx, 'falla.askRestarted'));
  }
  return file(ctx, prefix);
}

async function file(ctx: FlowContext, prefix: Reply[]): Promise<StepResult> {
  const { deps } = ctx;
  const { msg, config } = deps;
  const subject = await ticketSubject(ctx);
  const cat = category(ctx);
  if (!subject || !cat) return done(handoffOffer(msg, msg.t('falla.cannotFile')));
  const said = words(ctx).join(' | ').slice(0, MAX_DESCRIPTION);
  const sinceHours = slotNumber(ctx, 'sinceHours');
  const { incident, outage } = await fileFalla(deps, {
    ...subject,
    category: cat,
    ...(sinceHours !== undefined ? { sinceHours } : {}),
    description: said || msg.t(`falla.cat.${cat}`),
    channel: ctx.channel,
  });
  const replies: Reply[] = [...prefix];
  const filed = msg.t('falla.filed', {
    folio: incident.folio,
    priority: msg.t(`estado_reporte.priority.${incident.priority}`),
    time: responseTime(config, incident.priority),
  });
  const extra = isVerified(ctx) && outage.outage && ctx.slots.outageKnown !== true ? `\n${msg.t('falla.outageDetected')}` : '';
  replies.push({ text: `${filed}${extra}${pendingNote(ctx)}`, quickReplies: [menuButton(msg)] });
  return done(...replies);
}

export const fallaFlow: Flow = {
  id: 'falla',
  start: async (ctx) => {
    if (isWifiSetupQuestion(ctx.input.text)) return wifiTip(ctx);
    prefill(ctx);
    return identify(ctx, afterIdentify);
  },
  steps: {
    [IDENTIFY_STEP]: (ctx) => identifyAnswer(ctx, afterIdentify),

    suspended: (ctx) => {
      const { action, text } = ctx.input;
      if (action === 'pay:done' || (!action && mentionsPaid(text))) return switchTo('pago', [], { mode: 'paid' });
      if (action === 'pay:methods' || (!action && asksPaymentMethods(text))) return switchTo('pago', [], { mode: 'methods' });
      const other = action === 'other' || (!action && (/\b(otr[oa]|diferente|distint[oa]|no es eso|no es por eso)\b/.test(fold(text)) || parseYesNo(ctx) === false));
      if (!other) return retry(suspendedReply(ctx, 'falla.suspendedHint'));
      noteRestart(ctx);
      return checkOpenTicket(ctx);
    },

    same: async (ctx) => {
      const { msg } = ctx.deps;
      noteRestart(ctx);
      const text = fold(ctx.input.text);
      // A "no" wins over the words after it: "no, no es el mismo problema" is a new one.
      const answer =
        ctx.input.action === 'same'
          ? true
          : ctx.input.action === 'new' || parseYesNo(ctx) === false || /\b(otro|otra|nuevo|nueva|diferente|distinto)\b/.test(text)
            ? false
            : /\b(mismo|misma)\b/.test(text) || parseYesNo(ctx);
      if (answer === undefined) {
        return retry({
          text: msg.t('falla.sameHint'),
          quickReplies: [
            { id: 'same', title: msg.t('falla.buttons.same') },
            { id: 'new', title: msg.t('falla.buttons.new') },
          ],
        });
      }
      const folio = slotString(ctx, 'openFolio');
      if (!answer || !folio) return beginQuestions(ctx);
      const note = msg.t('falla.noteSame', { channel: ctx.channel, words: words(ctx).join(' | ') || '-' });
      const updated = await addNoteToMyTicket(ctx.deps, ctx.actor, folio, note);
      if (!updated) return beginQuestions(ctx);
      return done({ text: msg.t('falla.noteAdded', { folio }), quickReplies: [menuButton(msg)] });
    },

    category: (ctx) => {
      if (!ctx.input.action && isWifiSetupQuestion(ctx.input.text)) return wifiTip(ctx);
      noteRestart(ctx);
      const action = /^cat:(\w+)$/.exec(ctx.input.action ?? '')?.[1];
      const cat = action && isFallaCategory(action) ? action : parseCategory(ctx.input.text);
      if (!cat) return retry(categoryReply(ctx, 'falla.categoryHint'));
      ctx.slots.category = cat;
      if (!action) keepWords(ctx);
      const since = ctx.input.nlu.entities.since?.hoursAgo;
      if (since !== undefined && slotNumber(ctx, 'sinceHours') === undefined) ctx.slots.sinceHours = Math.max(0, since);
      return next(ctx);
    },

    describe: (ctx) => {
      if (isWifiSetupQuestion(ctx.input.text)) return wifiTip(ctx);
      noteRestart(ctx);
      if (ctx.input.text.length < 3) return retry({ text: ctx.deps.msg.t('falla.describeHint') });
      keepWords(ctx);
      return next(ctx);
    },

    since: (ctx) => {
      noteRestart(ctx);
      const hours = parseSinceHours(ctx);
      if (hours === undefined) return retry(sinceReply(ctx, 'falla.sinceHint'));
      ctx.slots.sinceHours = hours;
      if (!ctx.input.action) keepWords(ctx);
      return next(ctx);
    },

    restarted: (ctx) => {
      const text = fold(ctx.input.text);
      const answer = mentionsRestarted(text) ? true : parseYesNo(ctx);
      if (answer === undefined) return retry(restartedReply(ctx, 'falla.restartedHint'));
      ctx.slots.restarted = answer;
      if (answer) return next(ctx);
      return ask('restart_check', restartStepsReply(ctx, 'falla.restartSteps'));
    },

    restart_check: (ctx) => {
      const { msg } = ctx.deps;
      const text = fold(ctx.input.text);
      const still = ctx.input.action === 'still' || /\b(sigue|todavia|aun|igual|nada)\b/.test(text) || parseYesNo(ctx) === false;
      const fixed = !still && (ctx.input.action === 'fixed' || parseYesNo(ctx) === true || /\b(funciona|sirve|jala|quedo|regreso|volvio|listo)\b/.test(text));
      if (fixed) return done({ text: msg.t('falla.fixed'), quickReplies: [menuButton(msg)] });
      if (!still) return retry(restartStepsReply(ctx, 'falla.restartCheckHint'));
      ctx.slots.restarted = true;
      return next(ctx);
    },
  },
};
