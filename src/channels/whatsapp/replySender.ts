import type { Logger } from 'pino';
import type { IspConfig } from '../../config/schema.ts';
import type { Reply } from '../../core/types.ts';
import type { ConversationWindows } from './conversationWindow.ts';
import type { Deliver } from './deliver.ts';
import { renderReply } from './renderReply.ts';
import { templateMessage } from './templates.ts';

/**
 * Resolves true when every reply went out; false when sending stopped (window closed, refused).
 * With a `tag`, each message carries `<ref>.<n>` as biz_opaque_callback_data; `inDoubt` (a retry
 * after a crash) first waits for the status webhooks of the earlier attempt and skips what WhatsApp
 * already accepted.
 */
export type SendReplies = (to: string, replies: Reply[], log: Logger, tag?: ReplyTag) => Promise<boolean>;

export interface ReplyTag {
  ref: string;
  inDoubt: boolean;
}

/** Whether WhatsApp accepted the message tagged `callbackData` (its status webhook arrived). */
export type WasAccepted = (callbackData: string) => Promise<boolean>;

/**
 * Sends a turn's replies in order. Outside the 24-hour window (a delivery Meta retried for a day,
 * or 131047 from the API) free-form text cannot go out: the `customerReopen` template is sent when
 * configured, and either way the unsent replies are logged.
 */
export function createReplySender(deps: { config: IspConfig; windows: ConversationWindows; deliver: Deliver; wasAccepted?: WasAccepted; inDoubtWaitMs?: number }): SendReplies {
  const { config } = deps;
  const renderOptions = { listButton: config.whatsapp.listButton, moreOptions: config.whatsapp.moreOptions };

  async function outsideWindow(to: string, unsent: number, log: Logger): Promise<void> {
    const name = config.whatsapp.templates.customerReopen;
    if (!name) {
      log.warn({ to, unsent }, 'replies not sendable: the 24-hour window is closed and no whatsapp.templates.customerReopen template is configured');
      return;
    }
    const res = await deps.deliver(to, templateMessage(name, config.whatsapp.templateLanguage), log);
    log.warn({ to, unsent, template: name, sent: res.ok }, 'replies not sendable outside the 24-hour window; invitation template sent instead');
  }

  /** Polls for the status webhook of an earlier attempt; WhatsApp sends `sent` within a second or two. */
  async function acceptedEarlier(callbackData: string): Promise<boolean> {
    if (!deps.wasAccepted) return false;
    const deadline = Date.now() + (deps.inDoubtWaitMs ?? 15_000);
    for (;;) {
      if (await deps.wasAccepted(callbackData)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return async (to, replies, log, tag) => {
    if (replies.length === 0) return true;
    const messages = replies.flatMap((r) => renderReply(r, renderOptions));
    let inDoubt = tag?.inDoubt ?? false;
    if (!(await deps.windows.isOpen(to))) return outsideWindow(to, messages.length, log).then(() => false);
    for (const [i, content] of messages.entries()) {
      const callbackData = tag ? `${tag.ref}.${i}` : undefined;
      if (inDoubt && callbackData) {
        if (await acceptedEarlier(callbackData)) {
          log.info({ to, callbackData }, 'reply already accepted by WhatsApp before the retry: not sent again');
          continue;
        }
        inDoubt = false;
      }
      const message = callbackData ? { ...content, biz_opaque_callback_data: callbackData } : content;
      const res = await deps.deliver(to, message, log);
      if (res.ok) continue;
      if (res.reason === 'window') return outsideWindow(to, messages.length - i, log).then(() => false);
      log.error({ to, unsent: messages.length - i - 1 }, 'reply refused by the Graph API; the rest of this turn is not sent');
      return false;
    }
    return true;
  };
}
