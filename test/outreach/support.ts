import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { loadMessages } from '../../src/config/messages.ts';
import type { OutboundMessage, Sender, SendResult } from '../../src/outreach/sender.ts';
import type { Customer } from '../../src/sheets/records.ts';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
export const config = () => loadConfig(root('config/isp.yaml'));
export const messages = () => loadMessages(root('config/messages'));

/** A sender that records what it was asked to send; `failAfter` makes it throw from the N+1-th send on. */
export function recordingSender(options: { failAfter?: number } = {}): Sender & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    kind: 'test',
    sent,
    async send(m): Promise<SendResult> {
      if (options.failAfter !== undefined && sent.length >= options.failAfter) throw new Error('simulated crash');
      sent.push(m);
      return { channel: 'whatsapp', providerMessageId: `wamid.${sent.length}.${m.customer.id}` };
    },
  };
}

export function customer(id: string, extra: Partial<Customer> = {}): Customer {
  return { id, name: `Cliente ${id}`, phone: `52551000${id.replace(/\D/g, '').padStart(4, '0').slice(-4)}`, zone: 'Centro', status: 'activo', planMbps: 50, price: 399, ...extra };
}
