import type { InboundMessage } from './types.ts';

/** A one-line text of any inbound message, for history and staff notes (not a bot text). */
export function describeMessage(msg: InboundMessage): string {
  if (msg.text) return msg.text;
  if (msg.action) return `[${msg.action}]`;
  if (msg.contact) return '[contacto]';
  if (msg.location) return `[ubicación ${msg.location.latitude},${msg.location.longitude}]`;
  return `[${msg.media ?? 'mensaje'}]`;
}
