/** Outreach over Telegram: grammY's `Api` (apiRoot = TELEGRAM_API_ROOT) to `customer.telegramId`. */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import { SendError, type OutboundMessage, type SendResult } from '../sender.ts';

export interface TelegramOutreach {
  send(message: OutboundMessage): Promise<SendResult>;
}

export function createTelegramOutreach(options: { token: string; apiRoot?: string }): TelegramOutreach {
  const api = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  return {
    async send({ customer, text }) {
      if (!customer.telegramId) throw new SendError('telegram', 'the customer has no telegramId');
      try {
        const sent = await api.sendMessage(customer.telegramId, text);
        // Message ids are per chat: the provider id names both.
        return { channel: 'telegram', providerMessageId: `tg:${sent.chat.id}:${sent.message_id}` };
      } catch (err) {
        throw new SendError('telegram', `Telegram refused the message: ${(err as Error).message}`);
      }
    },
  };
}
