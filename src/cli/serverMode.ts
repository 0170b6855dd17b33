import { createTelegramChannel } from '../channels/telegram/index.ts';
import { createWhatsAppChannel } from '../channels/whatsapp/index.ts';
import type { ServerChannel } from '../channels/channel.ts';
import { createHttpServer } from '../channels/httpServer.ts';
import { bootApp, type Runtime } from './boot.ts';

export type ServerChannelName = 'telegram' | 'whatsapp';

/**
 * Runs the configured server channels on one app and one messaging port until SIGINT/SIGTERM,
 * then stops receiving, lets in-flight turns finish and closes the stores.
 */
export async function runServer(runtime: Runtime, names: readonly ServerChannelName[]): Promise<void> {
  const options = { env: runtime.env, config: runtime.config, logger: runtime.logger };
  const channels: ServerChannel[] = names.map((name) => (name === 'telegram' ? createTelegramChannel(options) : createWhatsAppChannel(options)));
  const app = await bootApp(runtime, { alertChannels: channels.flatMap((c) => (c.notifier ? [c.notifier] : [])) });
  const http = createHttpServer({ host: runtime.env.MESSAGING_HOST, port: runtime.env.MESSAGING_PORT, logger: runtime.logger });
  for (const channel of channels) await channel.start({ gateway: app.gateway, http: http.app, kv: app.deps.kv });
  await http.listen();
  runtime.logger.info({ channels: names }, 'isp-gateway running');

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      runtime.logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await Promise.allSettled(channels.map((c) => c.stop()));
  await http.close();
  await app.close();
}
