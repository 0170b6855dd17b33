/**
 * Outreach over Telegram: grammY's `Api` (apiRoot = TELEGRAM_API_ROOT) to `customer.telegramId`,
 * through the same send budgets as the channel's replies (shared by every instance on Redis).
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import { DEFAULT_TUNING } from '../../channels/telegram/createBot.ts';
import { createOutboundLimiter } from '../../channels/telegram/outboundLimiter.ts';
import { limitSends } from '../../channels/telegram/sendTransformers.ts';
import { SendError, type OutboundMessage, type SendResult } from '../sender.ts';

export interface TelegramOutreach {
  send(message: OutboundMessage): Promise<SendResult>;
  close(): Promise<void>;
}

export function createTelegramOutreach(options: { token: string; apiRoot?: string; redisUrl?: string }): TelegramOutreach {
  const api = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  const limiter = createOutboundLimiter({ botId: options.token.split(':')[0] ?? 'bot', globalPerSecond: DEFAULT_TUNING.globalPerSecond, perChatPerSecond: DEFAULT_TUNING.perChatPerSecond, perGroupPerMinute: DEFAULT_TUNING.perGroupPerMinute, keyPrefix: DEFAULT_TUNING.limiterKeyPrefix, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) });
  api.config.use(limitSends(limiter), autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  return {
    close: () => limiter.close(),
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
