/**
 * The Sender over the real channels: each message goes by the customer's channel (`chooseChannel`:
 * WhatsApp when they have a phone and WhatsApp is configured, else Telegram when they have a
 * telegramId); a customer neither reaches fails with "staff call". `createOutreachSender` builds it
 * from the environment, or returns undefined when no channel is configured (use the console).
 */
import type { Logger } from 'pino';
import { telegramConfigured, whatsappConfigured, type Env } from '../../config/env.ts';
import type { IspConfig } from '../../config/schema.ts';
import { createConversationWindows } from '../../channels/whatsapp/conversationWindow.ts';
import { createDeliver, DEFAULT_RETRY, type RetryPolicy } from '../../channels/whatsapp/deliver.ts';
import { createGraphClient } from '../../channels/whatsapp/graphClient.ts';
import { createSendLimiter } from '../../channels/whatsapp/sendLimiter.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import { SendError, type Sender } from '../sender.ts';
import { chooseChannel, type AvailableChannels } from './choice.ts';
import type { TelegramOutreach } from './telegramSender.ts';
import { createWhatsAppOutreach, type WhatsAppOutreach } from './whatsappSender.ts';

export function createChannelSender(channels: { whatsapp?: WhatsAppOutreach; telegram?: Pick<TelegramOutreach, 'send'> }): Sender & { available: AvailableChannels } {
  const available = { whatsapp: channels.whatsapp !== undefined, telegram: channels.telegram !== undefined };
  return {
    kind: 'channels',
    available,
    reaches: (customer) => chooseChannel(customer, available) !== 'none',
    async send(message) {
      const channel = chooseChannel(message.customer, available);
      if (channel === 'whatsapp') return channels.whatsapp!.send(message);
      if (channel === 'telegram') return channels.telegram!.send(message);
      throw new SendError('none', 'no configured channel reaches this customer: staff call');
    },
  };
}

export interface OutreachSenderDeps {
  env: Env;
  config: IspConfig;
  kv: KeyValueStore;
  logger: Logger;
  /** Tests shorten the WhatsApp retry delays. */
  retry?: RetryPolicy;
  now?: () => number;
}

/**
 * The channel sender from the environment (undefined when neither channel is configured); `close`
 * frees the limiter. The Telegram client is loaded only when Telegram is configured.
 */
export async function createOutreachSender(deps: OutreachSenderDeps): Promise<{ sender: Sender & { available: AvailableChannels }; close(): Promise<void> } | undefined> {
  const { env } = deps;
  const hasWa = whatsappConfigured(env);
  const hasTg = telegramConfigured(env);
  if (!hasWa && !hasTg) return undefined;
  const log = deps.logger.child({ component: 'outreach-sender' });
  let close = async (): Promise<void> => {};
  let whatsapp: WhatsAppOutreach | undefined;
  if (hasWa) {
    const phoneNumberId = env.WHATSAPP_PHONE_NUMBER_ID!;
    // The same limiter key prefix as the channel: outreach and replies share the number's budget.
    const limiter = createSendLimiter({ perSecond: env.WHATSAPP_SENDS_PER_SECOND, keyPrefix: 'isp:wa-send', ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) });
    const client = createGraphClient({ baseUrl: env.WHATSAPP_GRAPH_URL, version: env.WHATSAPP_GRAPH_VERSION, phoneNumberId, accessToken: env.WHATSAPP_ACCESS_TOKEN! });
    close = async () => {
      await limiter.close();
      await client.close();
    };
    const deliver = createDeliver({ client, limiter, limiterKey: phoneNumberId, retry: deps.retry ?? DEFAULT_RETRY });
    whatsapp = createWhatsAppOutreach({ config: deps.config, windows: createConversationWindows(deps.kv, deps.now ?? (() => Date.now())), deliver, logger: log });
  }
  const telegram = hasTg
    ? (await import('./telegramSender.ts')).createTelegramOutreach({ token: env.TELEGRAM_BOT_TOKEN!, ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}), ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) })
    : undefined;
  const closeWhatsApp = close;
  return {
    sender: createChannelSender({ ...(whatsapp ? { whatsapp } : {}), ...(telegram ? { telegram } : {}) }),
    async close() {
      await closeWhatsApp();
      await telegram?.close();
    },
  };
}
