/** The es-MX text of a campaign message for a profile, from `config/messages/outreach.yaml`. */
import type { Messages } from '../../config/messages.ts';
import type { IspConfig } from '../../config/schema.ts';
import type { Customer } from '../../sheets/records.ts';
import type { Profile } from './profiles.ts';

const firstName = (c: Customer): string => c.name.split(/\s+/)[0] ?? c.name;

/** The retention message with the offer the decision table chose (`outreach.retention.offer`). */
export function offerText(config: IspConfig, msg: Messages, customer: Customer, offer: string): string {
  const plan = config.plans.find((p) => p.mbps === customer.planMbps);
  return msg.t('outreach.retention.offer', { name: firstName(customer), isp: config.isp.name, offer, plan: plan ? `${plan.name} (${plan.mbps} Mbps)` : 'internet' });
}

export function campaignText(config: IspConfig, msg: Messages, customer: Customer, profile: Profile): string {
  const plan = config.plans.find((p) => p.mbps === customer.planMbps);
  return msg.t(`outreach.profile.${profile}`, {
    name: customer.name.split(/\s+/)[0] ?? customer.name,
    isp: config.isp.name,
    plan: plan ? `${plan.name} (${plan.mbps} Mbps)` : 'internet',
  });
}
