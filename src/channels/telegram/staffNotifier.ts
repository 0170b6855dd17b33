import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { IspConfig } from '../../config/schema.ts';
import type { Notifier } from '../../notify/notifier.ts';
import { textMessages } from './renderReplies.ts';
import { sendMessages } from './replySender.ts';

export interface TelegramStaffNotifier extends Notifier {
  /** Resolves when every alert accepted so far has been sent or has failed. */
  drain(): Promise<void>;
}

/** The staff chats: each `staff.telegramIds` and the `staff.telegramGroupId`, once each. */
export const staffChats = (config: IspConfig): string[] => [...new Set([...config.staff.telegramIds, ...(config.staff.telegramGroupId ? [config.staff.telegramGroupId] : [])])];

/**
 * Delivers staff alerts (new prospect, alta ticket, mass outage, handoff…) to the staff chats.
 * `notifyStaff` returns at once: the sends run in the background through the same throttled,
 * retrying client, so an alert never slows or fails the customer's turn; failures are logged.
 */
export function createStaffNotifier(options: { api: Api; config: IspConfig; logger: Logger; token: string }): TelegramStaffNotifier {
  const { api, config, logger, token } = options;
  const pending = new Set<Promise<void>>();
  return {
    async notifyStaff(alert) {
      const chats = staffChats(config);
      if (chats.length === 0) return;
      const log = logger.child({ alert: alert.kind, ref: alert.ref });
      const job = Promise.all(chats.map((chat) => sendMessages(api, chat, textMessages(alert.text), log, token))).then(() => undefined);
      pending.add(job);
      void job.finally(() => pending.delete(job));
    },
    async drain() {
      await Promise.allSettled([...pending]);
    },
  };
}
