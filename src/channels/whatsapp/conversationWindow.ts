import type { KeyValueStore } from '../../state/keyValue.ts';

/** WhatsApp's customer service window: free-form messages only within 24 h of the person's last message. */
export const WINDOW_MS = 24 * 3600_000;
/** A window about to close is treated as closed (clock skew, send delays). */
const SAFETY_MS = 60_000;
/** How recent a message is written without comparing (must stay well below SAFETY_MS). */
const FRESH_MS = 20_000;

export interface ConversationWindows {
  /** Records an inbound message of `user` sent at `atMs` (Meta's timestamp). */
  touch(user: string, atMs: number): Promise<void>;
  /** True when a free-form message to `user` can be delivered now. */
  isOpen(user: string): Promise<boolean>;
}

const key = (user: string): string => `wa:window:${user}`;

/**
 * Kept in the shared KV, so every instance sees the same window. Each instance also remembers the
 * latest message time it has seen per person: a lower bound of the shared value (it only grows),
 * so "open" read from it is right without a round trip; "closed" is always checked in the KV.
 */
export function createConversationWindows(kv: KeyValueStore, now: () => number): ConversationWindows {
  const known = new Map<string, number>();
  const remember = (user: string, atMs: number): void => {
    if ((known.get(user) ?? -Infinity) >= atMs) return;
    if (known.size >= KNOWN_LIMIT) known.clear();
    known.set(user, atMs);
  };
  const open = (last: number | undefined): boolean => typeof last === 'number' && now() < last + WINDOW_MS - SAFETY_MS;
  return {
    async touch(user, atMs) {
      const remaining = atMs + WINDOW_MS - now();
      if (remaining <= 0) return;
      if ((known.get(user) ?? -Infinity) >= atMs) return;
      // A message from the last few seconds is written without reading first: a newer time stored
      // meanwhile can be at most FRESH_MS newer, well inside the safety margin. An older message
      // (a late redelivery) must not move the window back: it is compared first.
      if (atMs < now() - FRESH_MS) {
        const previous = await kv.get<number>(key(user));
        if (typeof previous === 'number' && previous >= atMs) return remember(user, previous);
      }
      await kv.set(key(user), atMs, remaining);
      remember(user, atMs);
    },
    async isOpen(user) {
      if (open(known.get(user))) return true;
      const last = await kv.get<number>(key(user));
      if (typeof last === 'number') remember(user, last);
      return open(last);
    },
  };
}

/** People remembered per instance before the memory starts over (each entry is a few dozen bytes). */
const KNOWN_LIMIT = 50_000;
