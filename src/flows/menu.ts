import type { Messages } from '../config/messages.ts';
import type { Actor, QuickReply, Reply } from '../core/types.ts';

/** Quick-reply id that starts a flow from anywhere: `intent:falla`. */
export const intentAction = (intent: string): string => `intent:${intent}`;

const CUSTOMER_MENU = ['falla', 'mi_servicio', 'pago', 'estado_reporte', 'planes', 'humano'];
const PROSPECT_MENU = ['registro', 'planes', 'cobertura', 'humano'];
const STAFF_MENU = ['estadisticas', 'buscar_cliente', 'finanzas'];

export function menuQuickReplies(msg: Messages, actor: Actor): QuickReply[] {
  const items = actor.role === 'staff' ? STAFF_MENU : actor.role === 'customer' ? CUSTOMER_MENU : PROSPECT_MENU;
  return items.map((intent) => ({ id: intentAction(intent), title: msg.t(`common.buttons.${intent}`) }));
}

/** The role-aware menu as one reply, with `text` before it (defaults to the menu prompt). */
export function menuReply(msg: Messages, actor: Actor, text?: string): Reply {
  const prompt = actor.role === 'staff' ? msg.t('common.staffMenuPrompt') : msg.t('common.menuPrompt');
  return { text: text ?? prompt, quickReplies: menuQuickReplies(msg, actor) };
}

/** Offer a person or the menu: after too many failed answers, or when a flow cannot go on. */
export function handoffOffer(msg: Messages, text: string): Reply {
  return {
    text,
    quickReplies: [
      { id: intentAction('humano'), title: msg.t('common.buttons.humano') },
      { id: 'menu', title: msg.t('common.buttons.menu') },
    ],
  };
}

export function yesNo(msg: Messages, text: string, yesId = 'yes', noId = 'no'): Reply {
  return { text, quickReplies: [{ id: yesId, title: msg.t('common.yes') }, { id: noId, title: msg.t('common.no') }] };
}
