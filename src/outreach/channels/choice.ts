/**
 * Which channel reaches a customer (pure): WhatsApp when they have a phone and WhatsApp is
 * configured, Telegram when they have a telegramId and Telegram is configured, otherwise none
 * (the staff calls them).
 */
import type { Customer } from '../../sheets/records.ts';

export type ReachChannel = 'whatsapp' | 'telegram' | 'none';

export interface AvailableChannels {
  whatsapp: boolean;
  telegram: boolean;
}

export function chooseChannel(customer: Pick<Customer, 'phone' | 'telegramId'>, available: AvailableChannels): ReachChannel {
  if (available.whatsapp && customer.phone) return 'whatsapp';
  if (available.telegram && customer.telegramId) return 'telegram';
  return 'none';
}

export const channelLabel = (c: ReachChannel): string => (c === 'none' ? 'llamada del personal' : c === 'whatsapp' ? 'WhatsApp' : 'Telegram');
