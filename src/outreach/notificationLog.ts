/**
 * Every outbound outreach message: customer, channel, campaign, content, the provider's message id
 * and its status (sent → delivered → read, or failed with the provider's error). A SQLite table in
 * DATA_DIR (`outreach.db`), or the KV when Redis is configured (several instances share it); with
 * GOOGLE_SHEETS_ID it is also mirrored to the `Notificaciones` tab (notifications/sheetMirror.ts),
 * which is why each entry remembers the status the Sheet shows.
 * `updateStatus` is what the WhatsApp status webhook calls; a status never goes backwards
 * (a late "delivered" does not undo "read"), and "failed" always wins.
 */
import type { KeyValueStore } from '../state/keyValue.ts';
import { withLock } from '../state/lock.ts';
import { openSqliteFile } from '../state/sqliteFile.ts';

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

export interface NotificationCount {
  channel: string;
  campaign: string;
  status: NotificationStatus;
  count: number;
}

export interface NotificationLog {
  record(entry: NewNotification): Promise<NotificationEntry>;
  /** False when no message has that provider id. */
  updateStatus(providerMessageId: string, status: NotificationStatus, error?: string): Promise<boolean>;
  list(filter?: { campaign?: string; customerId?: string }): Promise<NotificationEntry[]>;
  /** Messages by channel, campaign and current status (for /metrics). */
  counts(): Promise<NotificationCount[]>;
  /** Entries the Sheet does not show as they are now (new, or their status changed since), oldest first. */
  unsynced(limit: number): Promise<NotificationEntry[]>;
  /** The Sheet now shows these entries with this status. */
  markSynced(entries: readonly Pick<NotificationEntry, 'id' | 'status'>[]): Promise<void>;
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
  sheet_status: string | null;
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
  const db = openSqliteFile(file, 'NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, customer_id TEXT NOT NULL, channel TEXT NOT NULL,
    campaign TEXT NOT NULL, content TEXT NOT NULL, provider_message_id TEXT, status TEXT NOT NULL, error TEXT)`);
  db.exec('CREATE INDEX IF NOT EXISTS notifications_provider ON notifications (provider_message_id)');
  // The status the Sheet shows (NULL = not in the Sheet yet); added to logs made before the Sheet mirror.
  const columns = new Set((db.prepare('PRAGMA table_info(notifications)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('sheet_status')) db.exec('ALTER TABLE notifications ADD COLUMN sheet_status TEXT');
  db.exec("CREATE INDEX IF NOT EXISTS notifications_unsynced ON notifications (id) WHERE sheet_status IS NULL OR sheet_status != status");
  const unsynced = db.prepare<[number], Row>('SELECT * FROM notifications WHERE sheet_status IS NULL OR sheet_status != status ORDER BY id LIMIT ?');
  const markSynced = db.prepare('UPDATE notifications SET sheet_status = ? WHERE id = ?');
  const counts = db.prepare<[], NotificationCount>('SELECT channel, campaign, status, COUNT(*) AS count FROM notifications GROUP BY channel, campaign, status ORDER BY channel, campaign, status');
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
    async counts() {
      return counts.all();
    },
    async unsynced(limit) {
      return unsynced.all(limit).map(fromRow);
    },
    async markSynced(entries) {
      db.transaction(() => {
        for (const e of entries) markSynced.run(e.status, Number(e.id));
      })();
    },
    async close() {
      db.close();
    },
  };
}

const LOG_TTL_MS = 400 * 86_400_000;

/**
 * The same log on the KV (Redis): one key per entry, a sequence counter, an index by provider id,
 * the counts by channel × campaign × status (one key, updated under a lock) and the ids the Sheet
 * does not show as they are yet (one key, under a lock), each with the status the Sheet shows.
 */
export function createKvNotificationLog(kv: KeyValueStore, clock: () => Date = () => new Date()): NotificationLog {
  const entryKey = (id: string) => `outreach:notif:${id}`;
  const providerKey = (pid: string) => `outreach:notif:pid:${pid}`;
  const sheetKey = (id: string) => `outreach:notif:sheet:${id}`;
  const COUNTS = 'outreach:notif:counts';
  const DIRTY = 'outreach:notif:dirty';
  const comboOf = (e: Pick<NotificationEntry, 'channel' | 'campaign'>, status: NotificationStatus) => JSON.stringify([e.channel, e.campaign, status]);

  async function count(e: Pick<NotificationEntry, 'channel' | 'campaign'>, from: NotificationStatus | undefined, to: NotificationStatus): Promise<void> {
    await withLock(kv, COUNTS, 5000, async () => {
      const counts = (await kv.get<Record<string, number>>(COUNTS)) ?? {};
      if (from) counts[comboOf(e, from)] = Math.max(0, (counts[comboOf(e, from)] ?? 0) - 1);
      counts[comboOf(e, to)] = (counts[comboOf(e, to)] ?? 0) + 1;
      await kv.set(COUNTS, counts);
    });
  }
  async function dirty(update: (ids: Set<string>) => void): Promise<void> {
    await withLock(kv, DIRTY, 5000, async () => {
      const ids = new Set((await kv.get<string[]>(DIRTY)) ?? []);
      update(ids);
      await kv.set(DIRTY, [...ids]);
    });
  }

  return {
    async record(e) {
      const id = String(await kv.increment('outreach:notif:seq'));
      const entry: NotificationEntry = { ...e, id, at: clock().toISOString() };
      await kv.set(entryKey(id), entry, LOG_TTL_MS);
      if (e.providerMessageId) await kv.set(providerKey(e.providerMessageId), id, LOG_TTL_MS);
      await count(entry, undefined, entry.status);
      await dirty((ids) => ids.add(id));
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
        await count(entry, entry.status, status);
        await dirty((ids) => ids.add(id));
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
    async counts() {
      const counts = (await kv.get<Record<string, number>>(COUNTS)) ?? {};
      return Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([combo, n]) => {
          const [channel, campaign, status] = JSON.parse(combo) as [string, string, NotificationStatus];
          return { channel, campaign, status, count: n };
        })
        .sort((a, b) => a.channel.localeCompare(b.channel) || a.campaign.localeCompare(b.campaign) || a.status.localeCompare(b.status));
    },
    async unsynced(limit) {
      const ids = ((await kv.get<string[]>(DIRTY)) ?? []).sort((a, b) => Number(a) - Number(b));
      const out: NotificationEntry[] = [];
      for (const id of ids) {
        if (out.length >= limit) break;
        const e = await kv.get<NotificationEntry>(entryKey(id));
        if (e && (await kv.get<string>(sheetKey(id))) !== e.status) out.push(e);
      }
      return out;
    },
    async markSynced(entries) {
      for (const e of entries) await kv.set(sheetKey(e.id), e.status, LOG_TTL_MS);
      // An entry whose status moved on meanwhile stays listed.
      const current = new Map<string, NotificationStatus | undefined>();
      for (const e of entries) current.set(e.id, (await kv.get<NotificationEntry>(entryKey(e.id)))?.status);
      await dirty((ids) => {
        for (const e of entries) if (current.get(e.id) === e.status || current.get(e.id) === undefined) ids.delete(e.id);
      });
    },
    async close() {},
  };
}
