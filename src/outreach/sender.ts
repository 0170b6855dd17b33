/**
 * The Sender port: how outreach messages leave. A campaign or reminder run never knows the channel's
 * protocol; it gets back the channel used and the provider's message id (for the notification log).
 */
import type { Writable } from 'node:stream';
import { maskPhone } from '../core/phone.ts';
import type { Customer } from '../sheets/records.ts';

export type OutreachChannel = 'telegram' | 'whatsapp' | 'console';

export interface OutboundMessage {
  customer: Customer;
  text: string;
  /** Campaign name, or `recordatorio:<offset>` for billing reminders. */
  campaign: string;
}

export interface SendResult {
  channel: OutreachChannel;
  providerMessageId?: string;
}

/** A message that did not leave; `channel` is the one it was meant for (recorded in the notification log). */
export class SendError extends Error {
  override readonly name = 'SendError';
  constructor(
    readonly channel: string,
    message: string,
  ) {
    super(message);
  }
}

/** The channel to record for a failed send: the one named by a SendError, else the sender's kind. */
export const failedChannel = (err: unknown, sender: Sender): string => (err instanceof SendError ? err.channel : sender.kind);

export interface Sender {
  readonly kind: string;
  send(message: OutboundMessage): Promise<SendResult>;
  /** False when no configured channel reaches the customer (a staff call); absent = reaches everyone. */
  reaches?(customer: Customer): boolean;
}

/** Writes each message to a stream (the terminal, or a buffer in tests); nothing reaches a customer. */
export function createConsoleSender(out: Pick<Writable, 'write'>): Sender {
  let n = 0;
  return {
    kind: 'console',
    async send({ customer, text, campaign }) {
      n += 1;
      out.write(`[${campaign}] → ${customer.id} ${maskPhone(customer.phone)}\n${text}\n\n`);
      return { channel: 'console', providerMessageId: `console-${n}` };
    },
  };
}
