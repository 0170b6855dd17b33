import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Env } from '../config/env.ts';
import type { IspConfig } from '../config/schema.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import { createKvNotificationLog, openSqliteNotificationLog, type NotificationLog } from './notificationLog.ts';

export interface NotificationSheetOptions {
  env: Env;
  config: IspConfig;
  logger: Logger;
}

/**
 * The KV (shared by every instance) when it is Redis, else `outreach.db` in DATA_DIR; with
 * `sheet` given and GOOGLE_SHEETS_ID set, also mirrored to the Sheet's notifications tab (the
 * Google client is loaded only then).
 */
export async function openNotificationLog(kv: KeyValueStore, dataDir: string, clock: () => Date, sheet?: NotificationSheetOptions): Promise<NotificationLog> {
  let base: NotificationLog;
  if (kv.kind === 'redis') base = createKvNotificationLog(kv, clock);
  else {
    mkdirSync(dataDir, { recursive: true });
    base = openSqliteNotificationLog(join(dataDir, 'outreach.db'), clock);
  }
  if (!sheet?.env.GOOGLE_SHEETS_ID) return base;
  const { mirrorToSheet, notificationSheetsApi } = await import('./notifications/sheetMirror.ts');
  const sheets = notificationSheetsApi(sheet.env, sheet.config, sheet.logger);
  return mirrorToSheet(base, {
    api: sheets.api,
    title: sheet.config.outreach.notifications.sheetTab,
    kv,
    logger: sheet.logger,
    delayMs: sheet.config.sheet.google.writeDelaySeconds * 1000,
    onClose: sheets.close,
  });
}
