/**
 * Conversation sessions on a KeyValueStore: one JSON value per conversation under `session:<key>`,
 * expiring `ttlMs` after the last save (an idle conversation starts over).
 */
import { emptySession, type Session } from '../core/types.ts';
import type { KeyValueEntry, KeyValueStore } from './keyValue.ts';

export interface SessionStore {
  /** The saved session, or a fresh empty one when there is none or it expired. */
  load(key: string): Promise<Session>;
  /** Saves and restarts the expiry; `alongside` entries are written in the same atomic step. */
  save(key: string, session: Session, alongside?: readonly KeyValueEntry[]): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Where a conversation's session is kept in the KeyValueStore. */
export const sessionKey = (key: string): string => `session:${key}`;
const storageKey = sessionKey;

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Session>;
  return typeof s.slots === 'object' && s.slots !== null && Array.isArray(s.history) && typeof s.attempts === 'number' && typeof s.updatedAt === 'number';
}

export function createSessionStore(kv: KeyValueStore, ttlMs: number, clock: () => number = Date.now): SessionStore {
  return {
    async load(key) {
      const stored = await kv.get<unknown>(storageKey(key));
      // Anything unreadable (an older shape, a hand edit) is treated as no session rather than crashing a turn.
      return isSession(stored) ? stored : emptySession(clock());
    },
    async save(key, session, alongside) {
      if (!alongside?.length) return kv.set(storageKey(key), session, ttlMs);
      await kv.setMany([{ key: storageKey(key), value: session, ttlMs }, ...alongside]);
    },
    async reset(key) {
      await kv.delete(storageKey(key));
    },
  };
}
