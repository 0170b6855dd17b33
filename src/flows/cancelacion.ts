import type { Reply } from '../core/types.ts';
import { fold } from '../domain/catalog.ts';
import { fileTicket, TICKET_PRIORITY } from '../domain/incidents.ts';
import { accountLabel } from '../domain/reporter.ts';
import { CANCEL_REASONS, chooseRetentionOffer, isCancelReason, retentionFacts, type CancelReason, type RetentionFacts } from '../domain/retention.ts';
import { parseYesNo } from './answerParsing.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { identify, identifyAnswer, IDENTIFY_STEP, isVerified, pendingNote, slotString, ticketSubject } from './identifyCustomer.ts';
import { handoffOffer, menuButton, yesNo } from './menu.ts';

/**
 * Cancelación: identify → reason → the retention offer of the config's decision table →
 * accepted: a `retencion` ticket; declined: "are you sure?" → yes: a `cancelacion` ticket.
 * Staff alerted either way. For a typed customer number only the reason picks the offer.
 */

const REASON_PATTERNS: [CancelReason, RegExp][] = [
  ['me_mudo', /\b(mudo|mudamos|mudanza|me cambio de (casa|domicilio|ciudad)|cambio de (casa|domicilio|ciudad)|cambiamos de (casa|domicilio)|me voy a vivir|nos vamos a vivir|me voy de la ciudad)\b/],
  ['otro_proveedor', /\b(telmex|infinitum|izzi|totalplay|megacable|starlink|axtel|telcel|att|dish|otra (compania|empresa)|otro (proveedor|servicio|internet)|me voy a cambiar a|me cambio a|me cambio con|contrate otro)\b/],
  ['precio', /\b(car[oa]s?|precio|costos[oa]|no me alcanza|muy alto|dinero|pagar menos|mas barato|economic\w*)\b/],
  ['fallas', /\b(fallas?|falla mucho|se cae|lento|no sirve|no funciona|mal servicio|intermitente|pesimo)\b/],
  ['otro', /^otr[oa]( razon| motivo| cosa)?$/],
];

export function parseCancelReason(text: string): CancelReason | undefined {
  const folded = fold(text);
  return folded ? REASON_PATTERNS.find(([, re]) => re.test(folded))?.[0] : undefined;
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
  const facts: RetentionFacts = isVerified(ctx) && customerId ? await retentionFacts(ctx.deps, ctx.actor, customerId, why) : { reason: why };
  const offer = chooseRetentionOffer(config.retention, facts);
  const ack = msg.t(`cancelacion.ack.${why}`);
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
  return done({ text: `${text}${pendingNote(ctx)}`, quickReplies: [menuButton(msg)] });
}

/** The last word before a cancellation is filed. */
const confirmCancel = (ctx: FlowContext, lead?: string): StepResult => {
  const { msg } = ctx.deps;
  return ask('confirm', yesNo(msg, lead ? `${lead}\n${msg.t('cancelacion.confirm')}` : msg.t('cancelacion.confirm')));
};

export const cancelacionFlow: Flow = {
  id: 'cancelacion',
  start: (ctx) => {
    // "quiero cancelar mi reporte" is about a ticket, not the service.
    if (mentionsTicket(ctx.input.text)) return switchTo('estado_reporte');
    const why = parseCancelReason(ctx.input.text);
    if (why) {
      ctx.slots.reason = why;
      ctx.slots.detail = ctx.input.text.slice(0, 300);
    }
    return identify(ctx, afterIdentify);
  },
  steps: {
    [IDENTIFY_STEP]: (ctx) => identifyAnswer(ctx, afterIdentify),

    reason: (ctx) => {
      const action = /^reason:(\w+)$/.exec(ctx.input.action ?? '')?.[1];
      const text = ctx.input.text;
      let why = action && isCancelReason(action) ? action : parseCancelReason(text);
      // Their own words that fit no option still count as a reason ("otro"), kept for staff.
      if (!why && fold(text).split(' ').length >= 3) why = 'otro';
      if (!why) return retry(reasonReply(ctx, 'cancelacion.reasonHint'));
      ctx.slots.reason = why;
      if (text) ctx.slots.detail = text.slice(0, 300);
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
