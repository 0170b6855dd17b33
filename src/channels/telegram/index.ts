import type { ChannelOptions, ServerChannel } from '../channel.ts';

// PLACEHOLDER — the Telegram adapter is being built; until then starting it says so.
export function createTelegramChannel(_options: ChannelOptions): ServerChannel {
  throw new Error('The telegram channel adapter is not built yet.');
}
