/**
 * Every outbound outreach message: customer, channel, campaign, content, the provider's message id
 * and its status (sent → delivered → read, or failed with the provider's error). A SQLite table in
 * DATA_DIR (`outreach.db`), or the KV when Redis is configured (several instances share it).
 * `updateStatus` is what the WhatsApp status webhook calls; a status never goes backwards
 * (a late "delivered" does not undo "read"), and "failed" always wins.
 */
import Database from 'better-sqlite3';
import type { KeyValueStore } from '../state/keyValue.ts';

export type NotificationStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface NotificationEntry {
  id: string;
  at: string;
  customerId: string;
  channel: string;
  campaign: string;
  content: string;
  providerMessageId?: string;
  status: NotificationStatus;
  error?: string;
}

export type NewNotification = Omit<NotificationEntry, 'id' | 'at'>;

export interface NotificationLog {
  record(entry: NewNotification): Promise<NotificationEntry>;
  /** False when no message has that provider id. */
  updateStatus(providerMessageId: string, status: NotificationStatus, error?: string): Promise<boolean>;
  list(filter?: { campaign?: string; customerId?: string }): Promise<NotificationEntry[]>;
  close(): Promise<void>;
}

const RANK: Record<NotificationStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };
/** Whether moving from `current` to `next` is progress (or a failure report). */
export const advances = (current: NotificationStatus, next: NotificationStatus): boolean => RANK[next] > RANK[current];

interface Row {
  id: number;
  at: string;
  customer_id: string;
  channel: string;
  campaign: string;
  content: string;
  provider_message_id: string | null;
  status: NotificationStatus;
  error: string | null;
}

const fromRow = (r: Row): NotificationEntry => ({
  id: String(r.id),
  at: r.at,
  customerId: r.customer_id,
  channel: r.channel,
  campaign: r.campaign,
  content: r.content,
  status: r.status,
  ...(r.provider_message_id ? { providerMessageId: r.provider_message_id } : {}),
  ...(r.error ? { error: r.error } : {}),
});

export function openSqliteNotificationLog(file: string, clock: () => Date = () => new Date()): NotificationLog {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, customer_id TEXT NOT NULL, channel TEXT NOT NULL,
    campaign TEXT NOT NULL, content TEXT NOT NULL, provider_message_id TEXT, status TEXT NOT NULL, error TEXT)`);
  db.exec('CREATE INDEX IF NOT EXISTS notifications_provider ON notifications (provider_message_id)');
  const insert = db.prepare('INSERT INTO notifications (at, customer_id, channel, campaign, content, provider_message_id, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const byProvider = db.prepare<[string], Row>('SELECT * FROM notifications WHERE provider_message_id = ?');
  const setStatus = db.prepare('UPDATE notifications SET status = ?, error = ? WHERE id = ?');
  return {
    async record(e) {
      const at = clock().toISOString();
      const info = insert.run(at, e.customerId, e.channel, e.campaign, e.content, e.providerMessageId ?? null, e.status, e.error ?? null);
      return { ...e, id: String(info.lastInsertRowid), at };
    },
    async updateStatus(providerMessageId, status, error) {
      const rows = byProvider.all(providerMessageId);
      for (const r of rows) if (advances(r.status, status)) setStatus.run(status, error ?? null, r.id);
      return rows.length > 0;
    },
    async list(filter = {}) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.campaign) (where.push('campaign = ?'), args.push(filter.campaign));
      if (filter.customerId) (where.push('customer_id = ?'), args.push(filter.customerId));
      const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return db.prepare<string[], Row>(sql).all(...args).map(fromRow);
    },
    async close() {
      db.close();
    },
  };
}

const LOG_TTL_MS = 400 * 86_400_000;

/** The same log on the KV (Redis): one key per entry, a sequence counter, and an index by provider id. */
export function createKvNotificationLog(kv: KeyValueStore, clock: () => Date = () => new Date()): NotificationLog {
  const entryKey = (id: string) => `outreach:notif:${id}`;
  const providerKey = (pid: string) => `outreach:notif:pid:${pid}`;
  return {
    async record(e) {
      const id = String(await kv.increment('outreach:notif:seq'));
      const entry: NotificationEntry = { ...e, id, at: clock().toISOString() };
      await kv.set(entryKey(id), entry, LOG_TTL_MS);
      if (e.providerMessageId) await kv.set(providerKey(e.providerMessageId), id, LOG_TTL_MS);
      return entry;
    },
    async updateStatus(providerMessageId, status, error) {
      const id = await kv.get<string>(providerKey(providerMessageId));
      if (!id) return false;
      const entry = await kv.get<NotificationEntry>(entryKey(id));
      if (!entry) return false;
      if (advances(entry.status, status)) {
        const { error: _old, ...rest } = entry;
        await kv.set(entryKey(id), { ...rest, status, ...(error ? { error } : {}) }, LOG_TTL_MS);
      }
      return true;
    },
    async list(filter = {}) {
      const last = (await kv.get<number>('outreach:notif:seq')) ?? 0;
      const out: NotificationEntry[] = [];
      for (let i = 1; i <= last; i++) {
        const e = await kv.get<NotificationEntry>(entryKey(String(i)));
        if (e && (!filter.campaign || e.campaign === filter.campaign) && (!filter.customerId || e.customerId === filter.customerId)) out.push(e);
      }
      return out;
    },
    async close() {},
  };
}
