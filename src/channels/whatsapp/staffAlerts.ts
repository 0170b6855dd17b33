import type { Logger } from 'pino';
import type { IspConfig } from '../../config/schema.ts';
import { normalizePhone } from '../../core/phone.ts';
import type { Notifier, StaffAlert } from '../../notify/notifier.ts';
import type { KeyValueStore } from '../../state/keyValue.ts';
import type { ConversationWindows } from './conversationWindow.ts';
import type { Deliver } from './deliver.ts';
import { textMessage } from './renderReply.ts';
import { templateMessage } from './templates.ts';

export interface StaffAlertDeps {
  config: IspConfig;
  kv: KeyValueStore;
  windows: ConversationWindows;
  deliver: Deliver;
  log: Logger;
  /** Runs a send in the background, in order per recipient (the customer's turn never waits on it). */
  enqueue(to: string, task: () => Promise<void>): void;
}

/** Remembers free-form alerts for a day: if WhatsApp later reports 131047 for one, it is re-sent as a template. */
export const alertKey = (wamid: string): string => `wa:alert:${wamid}`;
const ALERT_MEMORY_MS = 2 * 24 * 3600_000;

/**
 * Staff alerts to `staff.whatsappNumbers`: free-form text while the staff member's 24-hour window
 * is open, the approved `whatsapp.templates.staffAlert` template otherwise; without a template the
 * alert is logged as not sendable (a warning naming the setting), never dropped silently.
 */
export function createStaffAlerts(deps: StaffAlertDeps): Notifier & { sendTemplate(to: string, alert: { kind: string; text: string }): Promise<void> } {
  const { config, log } = deps;

  async function sendTemplate(to: string, alert: { kind: string; text: string }): Promise<void> {
    const name = config.whatsapp.templates.staffAlert;
    if (!name) {
      log.warn(
        { to, alert: alert.kind },
        'staff alert not sendable on WhatsApp: the 24-hour window is closed and no template is configured (whatsapp.templates.staffAlert in config/isp.yaml)',
      );
      return;
    }
    const res = await deps.deliver(to, templateMessage(name, config.whatsapp.templateLanguage, [alert.text]), log);
    if (res.ok) log.info({ to, alert: alert.kind, template: name }, 'staff alert sent as template');
    else if (res.reason === 'window') log.error({ to, alert: alert.kind, template: name }, 'staff alert template refused with 131047 (is the template approved?)');
  }

  async function sendOne(to: string, alert: StaffAlert): Promise<void> {
    if (!(await deps.windows.isOpen(to))) return sendTemplate(to, alert);
    const res = await deps.deliver(to, textMessage(alert.text), log);
    if (res.ok) await deps.kv.set(alertKey(res.wamid), { kind: alert.kind, text: alert.text }, ALERT_MEMORY_MS);
    else if (res.reason === 'window') await sendTemplate(to, alert);
  }

  return {
    sendTemplate,
    async notifyStaff(alert) {
      for (const raw of config.staff.whatsappNumbers) {
        const to = normalizePhone(raw, config.isp.defaultCountry);
        if (!to) {
          log.warn({ to: raw }, 'staff.whatsappNumbers holds an invalid number; alert not sent to it');
          continue;
        }
        deps.enqueue(to, () => sendOne(to, alert));
      }
    },
  };
}
