/**
 * Outreach on /metrics: `isp_outreach_messages{channel,kind,campaign,status}` — outbound outreach
 * messages by channel, kind (reminder or campaign), campaign (reminders as `recordatorio:<offset>`)
 * and current status (sent, delivered, read, failed). Read from the notification log at scrape
 * time, not counted in this process: reminders and campaigns are sent by `launcher outreach …`
 * (another process) and by the reminder scheduler of any instance, and the log is what they share.
 * A gauge, since a message moves from sent to delivered to read.
 */
import { Gauge, type Registry } from 'prom-client';
import type { NotificationLog } from './notificationLog.ts';

export const kindOf = (campaign: string): 'reminder' | 'campaign' => (campaign.startsWith('recordatorio:') ? 'reminder' : 'campaign');

export function registerOutreachMetrics(registry: Registry, log: Pick<NotificationLog, 'counts'>): Gauge<'channel' | 'kind' | 'campaign' | 'status'> {
  return new Gauge({
    name: 'isp_outreach_messages',
    help: 'Outbound outreach messages (reminders, campaigns) by channel, kind, campaign and current status, from the notification log',
    labelNames: ['channel', 'kind', 'campaign', 'status'] as const,
    registers: [registry],
    async collect() {
      const counts = await log.counts();
      this.reset();
      for (const c of counts) this.set({ channel: c.channel, kind: kindOf(c.campaign), campaign: c.campaign, status: c.status }, c.count);
    },
  });
}
