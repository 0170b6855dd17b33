import type { Reply } from '../core/types.ts';
import { fold } from '../domain/catalog.ts';
import { checkCoverage } from '../domain/coverage.ts';
import { verifiedCustomer } from '../domain/identify.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel } from '../domain/reporter.ts';
import {
  CANCEL_REASONS,
  chooseRetentionOffer,
  isCancelReason,
  moveOutsideCoverage,
  retentionFacts,
  type CancelReason,
  type RetentionFacts,
} from '../domain/retention.ts';
import { parseYesNo } from './answerParsing.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { IDENTIFY_STEP, slotString, ticketSubject, verificationRequired, verifyAnswer, VERIFY_STEP } from './identifyCustomer.ts';
import { handoffOffer, intentButton, menuButton, yesNo } from './menu.ts';

/**
 * Cancelación, only for the verified owner of the account (a typed number is not enough to ask
 * for someone's cancellation): reason (from the first message when it says it) → the retention
 * offer of the config's decision table → accepted: a `retencion` ticket; declined: "are you
 * sure?" → yes: a `cancelacion` ticket. Staff alerted either way. Moving to a place we do not
 * reach: no change-of-address offer, straight to the confirmation.
 */

const REASON_PATTERNS: [CancelReason, RegExp][] = [
  [
    'me_mudo',
    /\b(mudo|mudamos|mudanza|mudar(me|nos)?|(me|nos) (voy|vamos) a (cambiar|mudar) de (casa|domicilio|ciudad|colonia|estado)|cambiar(me|nos)? de (casa|domicilio|ciudad|colonia)|(me )?cambio de (casa|domicilio|ciudad|colonia)|cambiamos de (casa|domicilio)|(me|nos) (voy|vamos) a (ir a )?vivir|me voy de la ciudad)\b/,
  ],
  ['otro_proveedor', /\b(telmex|infinitum|izzi|totalplay|megacable|starlink|axtel|telcel|att|dish|otra (compania|empresa)|otro (proveedor|servicio|internet)|me voy a cambiar a|me cambio a|me cambio con|contrate otro)\b/],
  ['precio', /\b(car[oa]s?|precio|costos[oa]|no me alcanza|muy alto|dinero|pagar menos|mas barato|economic\w*)\b/],
  ['fallas', /\b(fallas?|falla mucho|se cae|se caiga|se cayo|se corta|cortes|se va (el|la) (internet|senal|servicio)|a cada rato|lento|no sirve|no funciona|nunca (sirve|funciona|hay)|mal servicio|intermitente|pesimo)\b/],
  ['otro', /^otr[oa]( razon| motivo| cosa)?$/],
];

export function parseCancelReason(text: string): CancelReason | undefined {
  const folded = fold(text);
  return folded ? REASON_PATTERNS.find(([, re]) => re.test(folded))?.[0] : undefined;
}

/** Going to live somewhere ("me voy a cambiar a San Pedro"): a move, when a place is named. */
const MOVING = /\b(mud\w*|cambi\w*|vivir|voy|vamos|ire|iremos)\b/;

/** The reason in these words, and for a move the place when we know we do not reach it. */
function readReason(ctx: FlowContext, text: string): { why?: CancelReason; place?: string } {
  const { config } = ctx.deps;
  const { area, zona } = ctx.input.nlu.entities;
  const hints = { ...(area ? { area } : {}), ...(zona ? { zona } : {}) };
  const namesPlace = checkCoverage(config, text, hints).kind !== 'unknown';
  const why = namesPlace && MOVING.test(fold(text)) ? 'me_mudo' : parseCancelReason(text);
  const place = why === 'me_mudo' ? moveOutsideCoverage(config, text, hints) : undefined;
  return { ...(why ? { why } : {}), ...(place ? { place } : {}) };
}

function keepReason(ctx: FlowContext, why: CancelReason, place: string | undefined, text: string): void {
  ctx.slots.reason = why;
  if (place) ctx.slots.movePlace = place;
  if (text) ctx.slots.detail = text.slice(0, 300);
}

const mentionsTicket = (text: string): boolean => /\b(reporte|folio|ticket)\b/.test(fold(text));

function reasonReply(ctx: FlowContext, key: string): Reply {
  return {
    text: ctx.deps.msg.t(key),
    quickReplies: CANCEL_REASONS.map((r) => ({ id: `reason:${r}`, title: ctx.deps.msg.t(`cancelacion.reasons.${r}`) })),
  };
}

function offerReply(ctx: FlowContext, key: string, offer: string): Reply {
  const { msg } = ctx.deps;
  return {
    text: msg.t(key, { offer }),
    quickReplies: [
      { id: 'accept', title: msg.t('cancelacion.buttons.accept') },
      { id: 'decline', title: msg.t('cancelacion.buttons.decline') },
    ],
  };
}

const reason = (ctx: FlowContext): CancelReason | undefined => {
  const r = slotString(ctx, 'reason');
  return r && isCancelReason(r) ? r : undefined;
};

/** Staying: "acepto", "me quedo", "mejor me quedo" (not "no me quedo"). */
const STAYS = /(?<!\bno )\b(acepto|aceptamos|la acepto|me quedo|nos quedamos|me la quedo|la tomo|la quiero|sigo con ustedes)\b/;
/** Leaving anyway: "cancelar", "no gracias", "ya lo decidí". */
const LEAVES = /\b(cancel\w*|no gracias|ya (lo )?decidi|de todos modos|no me quedo)\b/;

/** The reason is known: the retention offer, or (no rule fits) a plain confirmation. */
async function offerStep(ctx: FlowContext, why: CancelReason): Promise<StepResult> {
  const { msg, config } = ctx.deps;
  const customerId = slotString(ctx, 'customerId');
  const ack = msg.t(`cancelacion.ack.${why}`);
  const place = slotString(ctx, 'movePlace');
  // A change of address is no offer for a place we do not reach yet.
  if (why === 'me_mudo' && place) return confirmCancel(ctx, `${ack}\n${msg.t('cancelacion.notCoveredThere', { place })}`);
  const facts: RetentionFacts = customerId ? await retentionFacts(ctx.deps, ctx.actor, customerId, why) : { reason: why };
  const offer = chooseRetentionOffer(config.retention, facts);
  if (!offer) return confirmCancel(ctx, ack);
  ctx.slots.offer = offer;
  const reply = offerReply(ctx, 'cancelacion.offer', offer);
  return ask('offer', { ...reply, text: `${ack}\n${reply.text}` });
}

async function afterIdentify(ctx: FlowContext): Promise<StepResult> {
  const why = reason(ctx);
  return why ? offerStep(ctx, why) : ask('reason', reasonReply(ctx, 'cancelacion.askReason'));
}

async function file(ctx: FlowContext, accepted: boolean): Promise<StepResult> {
  const { deps } = ctx;
  const { msg } = deps;
  const subject = await ticketSubject(ctx);
  const why = reason(ctx) ?? 'otro';
  if (!subject) return done(handoffOffer(msg, msg.t('cancelacion.cannotFile')));
  const reasonLabel = msg.t(`cancelacion.reasons.${why}`);
  const detail = slotString(ctx, 'detail') ?? '-';
  const offer = slotString(ctx, 'offer') ?? '-';
  const type = accepted ? 'retencion' : 'cancelacion';
  const incident = await fileTicket(deps, {
    type,
    priority: TICKET_PRIORITY[type],
    ...subject,
    description: accepted
      ? msg.t('cancelacion.retentionDescription', { offer, reason: reasonLabel })
      : msg.t('cancelacion.cancelDescription', { reason: reasonLabel, detail, offer }),
    channel: ctx.channel,
  });
  await deps.notifier.notifyStaff({
    kind: type,
    text: msg.t(`cancelacion.staff.${type}`, { folio: incident.folio, account: accountLabel(msg, subject.customer, subject.reporter), reason: reasonLabel, offer }),
    ref: incident.folio,
    at: deps.clock().toISOString(),
  });
  const text = msg.t(accepted ? 'cancelacion.accepted' : 'cancelacion.declined', { folio: incident.folio });
  return done({ text, quickReplies: [menuButton(msg)] });
}

/** The last word before a cancellation is filed. */
const confirmCancel = (ctx: FlowContext, lead?: string): StepResult => {
  const { msg } = ctx.deps;
  return ask('confirm', yesNo(msg, lead ? `${lead}\n${msg.t('cancelacion.confirm')}` : msg.t('cancelacion.confirm')));
};

/** Only the account's verified owner may ask for its cancellation; anyone else is told how. */
async function requireOwner(ctx: FlowContext): Promise<StepResult> {
  const own = await verifiedCustomer(ctx.deps, ctx.actor);
  if (own) {
    ctx.slots.customerId = own.id;
    ctx.slots.verified = true;
    return afterIdentify(ctx);
  }
  const { msg } = ctx.deps;
  return verificationRequired(ctx, { key: 'cancelacion.verify', quickReplies: [intentButton(msg, 'humano'), menuButton(msg)] });
}

export const cancelacionFlow: Flow = {
  id: 'cancelacion',
  start: (ctx) => {
    // "quiero cancelar mi reporte" is about a ticket, not the service.
    if (mentionsTicket(ctx.input.text)) return switchTo('estado_reporte');
    const { why, place } = readReason(ctx, ctx.input.text);
    if (why) keepReason(ctx, why, place, ctx.input.text);
    return requireOwner(ctx);
  },
  steps: {
    [VERIFY_STEP]: (ctx) => verifyAnswer(ctx, requireOwner),
    // Sessions left at the old "type your number" step: a typed number is not enough any more.
    [IDENTIFY_STEP]: (ctx) => requireOwner(ctx),

    reason: (ctx) => {
      const action = /^reason:(\w+)$/.exec(ctx.input.action ?? '')?.[1];
      const text = ctx.input.text;
      const read = action && isCancelReason(action) ? { why: action } : readReason(ctx, text);
      let why: CancelReason | undefined = read.why;
      // Their own words that fit no option still count as a reason ("otro"), kept for staff.
      if (!why && fold(text).split(' ').length >= 3) why = 'otro';
      if (!why) return retry(reasonReply(ctx, 'cancelacion.reasonHint'));
      keepReason(ctx, why, 'place' in read ? read.place : undefined, text);
      return offerStep(ctx, why);
    },

    offer: (ctx) => {
      const text = fold(ctx.input.text);
      const { action } = ctx.input;
      // Staying words first: "No, mejor me quedo" stays, although it starts with "no".
      const accepted = action === 'accept' || (action !== 'decline' && STAYS.test(text));
      if (accepted) return file(ctx, true);
      const declined = action === 'decline' || LEAVES.test(text) || parseYesNo(ctx) === false;
      if (declined) return confirmCancel(ctx);
      if (parseYesNo(ctx) === true) return file(ctx, true);
      return retry(offerReply(ctx, 'cancelacion.offerHint', slotString(ctx, 'offer') ?? ''));
    },

    confirm: (ctx) => {
      const { msg } = ctx.deps;
      const text = fold(ctx.input.text);
      const answer = STAYS.test(text) ? false : parseYesNo(ctx);
      if (answer === undefined) return retry(yesNo(msg, msg.t('cancelacion.confirmHint')));
      if (!answer) return done({ text: msg.t('cancelacion.stays'), quickReplies: [menuButton(msg)] });
      return file(ctx, false);
    },
  },
};
