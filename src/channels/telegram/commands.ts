import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Logger } from 'pino';
import type { Messages } from '../../config/messages.ts';
import { describeApiError } from './apiErrors.ts';

/** The command menu Telegram shows next to the text box (actions in toInbound.ts COMMAND_ACTIONS). */
export function botCommands(msg: Messages): BotCommand[] {
  return [
    { command: 'start', description: msg.t('common.telegramCommands.start') },
    { command: 'menu', description: msg.t('common.telegramCommands.menu') },
    { command: 'ayuda', description: msg.t('common.telegramCommands.ayuda') },
    { command: 'estado', description: msg.t('common.telegramCommands.estado') },
  ];
}

/** Registers the command menu; a failure is logged and never stops the bot (the commands still work). */
export async function registerCommands(api: Api, msg: Messages, logger: Logger, token: string): Promise<void> {
  try {
    await api.setMyCommands(botCommands(msg));
    logger.info('telegram commands registered');
  } catch (err) {
    logger.warn({ error: describeApiError(err, token) }, 'telegram setMyCommands failed; the commands work without the menu');
  }
}
