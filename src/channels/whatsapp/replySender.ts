import type { Logger } from 'pino';
import type { IspConfig } from '../../config/schema.ts';
import type { Reply } from '../../core/types.ts';
import type { ConversationWindows } from './conversationWindow.ts';
import type { Deliver } from './deliver.ts';
import { renderReply } from './renderReply.ts';
import { templateMessage } from './templates.ts';

export type SendReplies = (to: string, replies: Reply[], log: Logger) => Promise<void>;

/**
 * Sends a turn's replies in order. Outside the 24-hour window (a delivery Meta retried for a day,
 * or 131047 from the API) free-form text cannot go out: the `customerReopen` template is sent when
 * configured, and either way the unsent replies are logged.
 */
export function createReplySender(deps: { config: IspConfig; windows: ConversationWindows; deliver: Deliver }): SendReplies {
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

  return async (to, replies, log) => {
    if (replies.length === 0) return;
    const messages = replies.flatMap((r) => renderReply(r, renderOptions));
    if (!(await deps.windows.isOpen(to))) return outsideWindow(to, messages.length, log);
    for (const [i, message] of messages.entries()) {
      const res = await deps.deliver(to, message, log);
      if (res.ok) continue;
      if (res.reason === 'window') return outsideWindow(to, messages.length - i, log);
      if (i < messages.length - 1) log.error({ to, unsent: messages.length - i - 1 }, 'later replies of this turn not sent (an earlier one failed)');
      return;
    }
  };
}
