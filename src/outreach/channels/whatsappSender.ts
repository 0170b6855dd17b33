/**
 * Outreach over WhatsApp, reusing the channel's Graph client, send limiter, retries and 24-hour
 * window: free-form text while the customer's window is open, otherwise the approved template
 * `whatsapp.templates.outreach` (one body variable = the text). Without that template, or when Meta
 * answers 131047, the message is not sendable: a SendError naming the setting (logged and recorded
 * as failed by the caller), never dropped silently.
 */
import type { Logger } from 'pino';
import type { IspConfig } from '../../config/schema.ts';
import { maskPhone, normalizePhone } from '../../core/phone.ts';
import type { ConversationWindows } from '../../channels/whatsapp/conversationWindow.ts';
import type { Deliver } from '../../channels/whatsapp/deliver.ts';
import { textMessage } from '../../channels/whatsapp/renderReply.ts';
import { templateMessage } from '../../channels/whatsapp/templates.ts';
import { SendError, type OutboundMessage, type SendResult } from '../sender.ts';

export interface WhatsAppOutreach {
  send(message: OutboundMessage): Promise<SendResult>;
}

export const NO_TEMPLATE = 'not sendable: the 24-hour WhatsApp window is closed and no template is configured (whatsapp.templates.outreach in config/isp.yaml)';

const reasonOf = (err: unknown): string => {
  const e = err as { code?: number; message?: string };
  return `${e.code !== undefined ? `(#${e.code}) ` : ''}${e.message ?? String(err)}`;
};

export function createWhatsAppOutreach(deps: { config: IspConfig; windows: ConversationWindows; deliver: Deliver; logger: Logger }): WhatsAppOutreach {
  const { config, logger } = deps;
  return {
    async send({ customer, text, campaign }) {
      const to = customer.phone ? (normalizePhone(customer.phone, config.isp.defaultCountry) ?? customer.phone.replace(/\D/g, '')) : '';
      if (!to) throw new SendError('whatsapp', 'the customer has no phone number');
      const template = config.whatsapp.templates.outreach;
      let open = await deps.windows.isOpen(to);
      if (open) {
        const res = await deps.deliver(to, textMessage(text), logger);
        if (res.ok) return { channel: 'whatsapp', providerMessageId: res.wamid };
        if (res.reason !== 'window') throw new SendError('whatsapp', `WhatsApp refused the message: ${reasonOf(res.error)}`);
        open = false; // Meta says the window is closed after all (131047): try the template.
      }
      if (!template) {
        logger.warn({ to: maskPhone(to), customerId: customer.id, campaign }, NO_TEMPLATE);
        throw new SendError('whatsapp', NO_TEMPLATE);
      }
      const res = await deps.deliver(to, templateMessage(template, config.whatsapp.templateLanguage, [text]), logger);
      if (res.ok) return { channel: 'whatsapp', providerMessageId: res.wamid };
      throw new SendError('whatsapp', `WhatsApp refused the template ${template}: ${reasonOf(res.error)}`);
    },
  };
}
