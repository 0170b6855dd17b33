import type { Messages } from '../config/messages.ts';
import type { IspConfig, Zone } from '../config/schema.ts';
import type { Actor, QuickReply, Reply } from '../core/types.ts';
import { findZoneByName } from '../domain/catalog.ts';

/** Quick-reply id that starts a flow from anywhere: `intent:falla`. */
export const intentAction = (intent: string): string => `intent:${intent}`;

/** The button that starts a flow, titled as in the menu (`common.buttons.<intent>`). */
export const intentButton = (msg: Messages, intent: string): QuickReply => ({ id: intentAction(intent), title: msg.t(`common.buttons.${intent}`) });

/** The button back to the menu (the engine handles the `menu` id in any flow). */
export const menuButton = (msg: Messages): QuickReply => ({ id: 'menu', title: msg.t('common.buttons.menu') });

/** One button per configured zone: `zona:Norte`. */
export const zoneQuickReplies = (config: IspConfig): QuickReply[] => config.zones.map((z) => ({ id: `zona:${z.name}`, title: z.name.slice(0, 20) }));

/** The configured zone of a pressed `zona:<name>` button. */
export function zoneFromAction(config: IspConfig, action: string | undefined): Zone | undefined {
  return action?.startsWith('zona:') ? findZoneByName(config, action.slice('zona:'.length)) : undefined;
}

const CUSTOMER_MENU = ['falla', 'mi_servicio', 'pago', 'estado_reporte', 'planes', 'humano'];
const PROSPECT_MENU = ['registro', 'planes', 'cobertura', 'humano'];
const STAFF_MENU = ['estadisticas', 'buscar_cliente', 'finanzas'];

export function menuQuickReplies(msg: Messages, actor: Actor): QuickReply[] {
  const items = actor.role === 'staff' ? STAFF_MENU : actor.role === 'customer' ? CUSTOMER_MENU : PROSPECT_MENU;
  return items.map((intent) => intentButton(msg, intent));
}

/** The role-aware menu as one reply, with `text` before it (defaults to the menu prompt). */
export function menuReply(msg: Messages, actor: Actor, text?: string): Reply {
  const prompt = actor.role === 'staff' ? msg.t('common.staffMenuPrompt') : msg.t('common.menuPrompt');
  return { text: text ?? prompt, quickReplies: menuQuickReplies(msg, actor) };
}

/** Offer a person or the menu: after too many failed answers, or when a flow cannot go on. */
export function handoffOffer(msg: Messages, text: string): Reply {
  return { text, quickReplies: [intentButton(msg, 'humano'), menuButton(msg)] };
}

export function yesNo(msg: Messages, text: string, yesId = 'yes', noId = 'no'): Reply {
  return { text, quickReplies: [{ id: yesId, title: msg.t('common.yes') }, { id: noId, title: msg.t('common.no') }] };
}
