import type { QuickReply, Reply } from '../core/types.ts';
import { fold } from '../domain/catalog.ts';
import { ticketOwner, TICKET_PRIORITY } from '../domain/incidents.ts';
import { CANCEL_REASONS, chooseRetentionOffer, isCancelReason, retentionFacts, type CancelReason } from '../domain/retention.ts';
import { parseYesNo } from './fallaAnswers.ts';
import { ask, done, retry, switchTo, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { identify, identifyAnswer, IDENTIFY_STEP, slotString } from './identifyCustomer.ts';
import { handoffOffer, yesNo } from './menu.ts';

/**
 * Cancelación: identify → reason → the retention offer of the config's decision table →
 * accepted: a `retencion` ticket; declined: a `cancelacion` ticket. Staff alerted either way.
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

const menuButton = (ctx: FlowContext): QuickReply => ({ id: 'menu', title: ctx.deps.msg.t('common.buttons.menu') });

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

/** The reason is known: the retention offer, or (no rule fits) a plain confirmation. */
async function offerStep(ctx: FlowContext, why: CancelReason): Promise<StepResult> {
  const { msg, config } = ctx.deps;
  const customerId = slotString(ctx, 'customerId');
  if (!customerId) return done(handoffOffer(msg, msg.t('cancelacion.cannotFile')));
  const facts = await retentionFacts(ctx.deps, ctx.actor, customerId, why);
  const offer = chooseRetentionOffer(config.retention, facts);
  const ack = msg.t(`cancelacion.ack.${why}`);
  if (!offer) return ask('confirm', yesNo(msg, `${ack}\n${msg.t('cancelacion.confirm')}`));
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
  const { msg, config } = deps;
  const customerId = slotString(ctx, 'customerId');
  const customer = customerId ? await deps.store.getCustomer(customerId) : undefined;
  const why = reason(ctx) ?? 'otro';
  if (!customer) return done(handoffOffer(msg, msg.t('cancelacion.cannotFile')));
  const reasonLabel = msg.t(`cancelacion.reasons.${why}`);
  const detail = slotString(ctx, 'detail') ?? '-';
  const offer = slotString(ctx, 'offer') ?? '-';
  const type = accepted ? 'retencion' : 'cancelacion';
  const incident = await deps.store.createIncident({
    type,
    priority: TICKET_PRIORITY[type],
    ...ticketOwner(config, customer),
    description: accepted
      ? msg.t('cancelacion.retentionDescription', { offer, reason: reasonLabel })
      : msg.t('cancelacion.cancelDescription', { reason: reasonLabel, detail, offer }),
    channel: ctx.channel,
  });
  await deps.notifier.notifyStaff({
    kind: type,
    text: msg.t(`cancelacion.staff.${type}`, { folio: incident.folio, name: customer.name, id: customer.id, reason: reasonLabel, offer }),
    ref: incident.folio,
    at: deps.clock().toISOString(),
  });
  return done({ text: msg.t(accepted ? 'cancelacion.accepted' : 'cancelacion.declined', { folio: incident.folio }), quickReplies: [menuButton(ctx)] });
}

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
      const declined = ctx.input.action === 'decline' || /\b(cancel\w*|no gracias|ya decidi|de todos modos)\b/.test(text) || parseYesNo(ctx) === false;
      const accepted = !declined && (ctx.input.action === 'accept' || /\b(acepto|me quedo|la tomo)\b/.test(text) || parseYesNo(ctx) === true);
      if (accepted) return file(ctx, true);
      if (declined) return file(ctx, false);
      return retry(offerReply(ctx, 'cancelacion.offerHint', slotString(ctx, 'offer') ?? ''));
    },

    confirm: (ctx) => {
      const { msg } = ctx.deps;
      const answer = parseYesNo(ctx);
      if (answer === undefined) return retry(yesNo(msg, msg.t('cancelacion.confirmHint')));
      if (!answer) return done({ text: msg.t('cancelacion.stays'), quickReplies: [menuButton(ctx)] });
      return file(ctx, false);
    },
  },
};
