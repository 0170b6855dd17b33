import type { Logger } from 'pino';
import type { Messages } from '../config/messages.ts';
import type { IspConfig } from '../config/schema.ts';
import type { Store } from '../sheets/store.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import type { NotificationLog } from './notificationLog.ts';
import type { Sender } from './sender.ts';

/** What every outbound run (reminders, campaigns) works with. */
export interface OutreachDeps {
  config: IspConfig;
  msg: Messages;
  store: Store;
  kv: KeyValueStore;
  clock: () => Date;
  sender: Sender;
  log: NotificationLog;
  logger?: Logger;
}
