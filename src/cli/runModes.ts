import { telegramConfigured, whatsappConfigured } from '../config/env.ts';
import { runConsoleChannel } from '../channels/console/consoleChannel.ts';
import type { ChatUser } from '../channels/console/chatSession.ts';
import { bootApp, CliError, type Runtime } from './boot.ts';
import { runServer, type ServerChannelName } from './serverMode.ts';

export const CHANNEL_VARIABLES =
  'Telegram: TELEGRAM_BOT_TOKEN (optional TELEGRAM_WEBHOOK_URL)\n' +
  'WhatsApp: WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN';

export async function runConsole(runtime: Runtime, who: ChatUser, note?: string): Promise<void> {
  const app = await bootApp(runtime);
  const role = who.role === 'staff' ? 'as staff' : who.phone ? `as the customer with phone ${who.phone}` : 'as a new customer';
  const banner = [
    `${runtime.config.isp.name}: terminal chat ${role}.`,
    'Write as a customer would; a number picks a button; /salir or Ctrl+D quits.',
    ...(note ? [note] : []),
  ].join('\n');
  try {
    await runConsoleChannel(app.gateway, { ...who, banner });
  } finally {
    await app.close();
  }
}

/** `--mode auto`: every configured channel; none configured → the console on a terminal, else exit 1. */
export async function runAuto(runtime: Runtime, who: ChatUser, stdinIsTty: boolean): Promise<void> {
  const configured: ServerChannelName[] = [];
  if (telegramConfigured(runtime.env)) configured.push('telegram');
  if (whatsappConfigured(runtime.env)) configured.push('whatsapp');
  if (configured.length > 0) return runServer(runtime, configured);
  if (!stdinIsTty) {
    throw new CliError(`No channel is configured and stdin is not a terminal. Set the variables of a channel:\n${CHANNEL_VARIABLES}`, 1);
  }
  await runConsole(runtime, who, `No Telegram or WhatsApp configured; to enable them set:\n${CHANNEL_VARIABLES}`);
}

/** `--mode telegram|whatsapp`: that channel alone; its variables must be set. */
export async function runServerChannel(runtime: Runtime, channel: ServerChannelName): Promise<void> {
  const configured = channel === 'telegram' ? telegramConfigured(runtime.env) : whatsappConfigured(runtime.env);
  if (!configured) throw new CliError(`The ${channel} channel is not configured. Set:\n${CHANNEL_VARIABLES}`, 1);
  await runServer(runtime, [channel]);
}
