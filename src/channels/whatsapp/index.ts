import type { ChannelOptions, ServerChannel } from '../channel.ts';

// PLACEHOLDER — the WhatsApp adapter is being built; until then starting it says so.
export function createWhatsAppChannel(_options: ChannelOptions): ServerChannel {
  throw new Error('The whatsapp channel adapter is not built yet.');
}
