import type { IspConfig } from '../config/schema.ts';
import { normalizePhone } from '../core/phone.ts';
import type { Actor, InboundMessage } from '../core/types.ts';
import type { Customer } from '../sheets/records.ts';
import type { Store } from '../sheets/store.ts';
import type { KeyValueStore } from '../state/keyValue.ts';

/** Key under which a channel user is linked to a customer id (Telegram contact sharing). */
export const linkKey = (channel: string, userId: string): string => `link:${channel}:${userId}`;

/** The actor's key: one per person and channel (`<channel>:<userId>`). */
export const actorKeyOf = (msg: Pick<InboundMessage, 'channel' | 'userId'>): string => `${msg.channel}:${msg.userId}`;

/** While this key exists a person is handling the actor's chat and the bot stays quiet (see humano). */
export const quietKey = (actorKey: string): string => `quiet:${actorKey}`;

export interface ResolveOptions {
  config: IspConfig;
  store: Store;
  kv: KeyValueStore;
}

/**
 * Who is writing, decided before the agent runs. Only identities the channel vouches for count:
 * WhatsApp's sender number, a Telegram id linked by the user's own shared contact, the console's
 * local operator flags. A phone number typed in a chat never makes someone that customer.
 */
export async function resolveActor(opts: ResolveOptions, msg: InboundMessage): Promise<Actor> {
  const key = actorKeyOf(msg);
  const phone = msg.phone ? normalizePhone(msg.phone, opts.config.isp.defaultCountry) : undefined;
  const name = msg.profileName;
  const base = { key, ...(phone ? { phone } : {}), ...(name ? { name } : {}) };

  if (isStaff(opts.config, msg, phone)) return { role: 'staff', ...base };

  const customer = await findCustomer(opts, msg, phone);
  if (customer && customer.status !== 'cancelado') {
    return { role: 'customer', key, customerId: customer.id, phone: customer.phone, name: customer.name };
  }
  return { role: 'prospect', ...base };
}

function isStaff(config: IspConfig, msg: InboundMessage, phone: string | undefined): boolean {
  if (msg.channel === 'console') return msg.asRole === 'staff';
  if (msg.channel === 'telegram') return config.staff.telegramIds.includes(msg.userId);
  if (!phone) return false;
  return config.staff.whatsappNumbers.some((n) => normalizePhone(n, config.isp.defaultCountry) === phone);
}

async function findCustomer(opts: ResolveOptions, msg: InboundMessage, phone: string | undefined): Promise<Customer | undefined> {
  if (phone) {
    const byPhone = await opts.store.findCustomerByPhone(phone);
    if (byPhone) return byPhone;
  }
  if (msg.channel === 'telegram') {
    const byTelegram = await opts.store.findCustomerByTelegramId(msg.userId);
    if (byTelegram) return byTelegram;
  }
  const linked = await opts.kv.get<string>(linkKey(msg.channel, msg.userId));
  return linked ? opts.store.getCustomer(linked) : undefined;
}
