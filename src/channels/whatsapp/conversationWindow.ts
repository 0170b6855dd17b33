import type { KeyValueStore } from '../../state/keyValue.ts';

/** WhatsApp's customer service window: free-form messages only within 24 h of the person's last message. */
export const WINDOW_MS = 24 * 3600_000;
/** A window about to close is treated as closed (clock skew, send delays). */
const SAFETY_MS = 60_000;

export interface ConversationWindows {
  /** Records an inbound message of `user` sent at `atMs` (Meta's timestamp). */
  touch(user: string, atMs: number): Promise<void>;
  /** True when a free-form message to `user` can be delivered now. */
  isOpen(user: string): Promise<boolean>;
}

const key = (user: string): string => `wa:window:${user}`;

/** Kept in the shared KV, so every instance sees the same window. */
export function createConversationWindows(kv: KeyValueStore, now: () => number): ConversationWindows {
  return {
    async touch(user, atMs) {
      const remaining = atMs + WINDOW_MS - now();
      if (remaining <= 0) return;
      const previous = await kv.get<number>(key(user));
      if (typeof previous === 'number' && previous >= atMs) return;
      await kv.set(key(user), atMs, remaining);
    },
    async isOpen(user) {
      const last = await kv.get<number>(key(user));
      return typeof last === 'number' && now() < last + WINDOW_MS - SAFETY_MS;
    },
  };
}
