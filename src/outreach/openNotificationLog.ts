import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyValueStore } from '../state/keyValue.ts';
import { createKvNotificationLog, openSqliteNotificationLog, type NotificationLog } from './notificationLog.ts';

/** The KV (shared by every instance) when it is Redis, else `outreach.db` in DATA_DIR. */
export function openNotificationLog(kv: KeyValueStore, dataDir: string, clock: () => Date): NotificationLog {
  if (kv.kind === 'redis') return createKvNotificationLog(kv, clock);
  mkdirSync(dataDir, { recursive: true });
  return openSqliteNotificationLog(join(dataDir, 'outreach.db'), clock);
}
