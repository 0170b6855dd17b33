import { normalizePhone } from '../../core/phone.ts';
import type { InboundMessage } from '../../core/types.ts';
import type { WaMessage } from './parseWebhook.ts';

/**
 * The key of a WhatsApp user: the wa_id normalised (Mexico's `521…` and `52…` are one person),
 * or the digits as sent when libphonenumber does not know the number. Replies go to this form.
 */
export function waUserKey(waId: string): string {
  return normalizePhone(`+${waId}`) ?? waId;
}

/**
 * Translates one WhatsApp message into the channel-neutral turn. Undefined = not a turn
 * (a system notice, a reaction being removed). WhatsApp vouches for the sender's number.
 */
export function toInbound(m: WaMessage): InboundMessage | undefined {
  const key = waUserKey(m.waId);
  const base: InboundMessage = {
    channel: 'whatsapp',
    chatId: key,
    userId: key,
    messageId: m.wamid,
    phone: key,
    receivedAt: m.timestamp * 1000,
    ...(m.profileName ? { profileName: m.profileName } : {}),
  };
  const c = m.content;
  switch (c.kind) {
    case 'text':
      return { ...base, text: c.text };
    case 'action':
      return { ...base, action: c.id };
    case 'location':
      return { ...base, location: { latitude: c.latitude, longitude: c.longitude } };
    case 'media':
      return { ...base, media: c.media, ...(c.caption ? { text: c.caption } : {}) };
    case 'contact':
      // A contact card is someone's number, not proof that it is the sender's.
      return { ...base, contact: { phone: c.phone, own: false } };
    case 'reaction':
      // An emoji on one of our messages: answered like content the bot cannot read (the open question is asked again).
      return c.emoji ? { ...base, media: 'other' } : undefined;
    case 'welcome':
      return { ...base, action: 'menu' };
    case 'system':
      return undefined;
    case 'unsupported':
      return { ...base, media: 'other' };
  }
}
