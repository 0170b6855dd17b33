/**
 * The durable outbox: every write goes here first (so a resolved write survives a crash and a
 * Sheets outage), then the flusher sends it and removes it. Shared by the processes that share it
 * (Redis, or the same DATA_DIR), with a lease so only one of them flushes at a time.
 */
import { z } from 'zod';
import type { OutboxEntry, OverlayEntry } from './sheetView.ts';

export interface StoredEntry extends OverlayEntry {
  attempts: number;
  /** Set just before the entry is first sent: from then on it may be in the sheet already. */
  sentAt?: number;
  createdAt: number;
  /** Not sent before this time (ms since epoch). */
  nextAttemptAt: number;
  lastError?: string;
}

export interface OutboxStats {
  pending: number;
  /** createdAt of the oldest pending entry. */
  oldest?: number;
  lastError?: string;
}

export interface Outbox {
  readonly kind: 'sqlite' | 'redis';
  add(entries: OutboxEntry[], now: number): Promise<StoredEntry[]>;
  /** Every pending entry, in id (write) order. */
  list(): Promise<StoredEntry[]>;
  remove(ids: number[]): Promise<void>;
  /** Marks entries as (about to be) sent, before the request leaves. */
  markSent(ids: number[], at: number): Promise<void>;
  failed(ids: number[], error: string, nextAttemptAt: number): Promise<void>;
  /** Only one flusher at a time among the processes sharing this outbox; the holder calling again extends it. */
  tryLease(owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;
  stats(): Promise<OutboxStats>;
  close(): Promise<void>;
}

export const outboxEntrySchema = z.object({
  tab: z.enum(['Clientes', 'Incidentes', 'Prospectos']),
  key: z.string().min(1),
  op: z.enum(['create', 'upsert', 'patch']),
  fields: z.record(z.string(), z.string()),
  changed: z.array(z.string()).optional(),
});

export const storedEntrySchema = outboxEntrySchema.extend({
  id: z.number().int(),
  attempts: z.number().int().min(0),
  sentAt: z.number().optional(),
  createdAt: z.number(),
  nextAttemptAt: z.number(),
  lastError: z.string().optional(),
});

export function statsOf(entries: readonly StoredEntry[]): OutboxStats {
  if (entries.length === 0) return { pending: 0 };
  const oldest = entries.reduce((min, e) => Math.min(min, e.createdAt), Infinity);
  const lastError = [...entries].reverse().find((e) => e.lastError)?.lastError;
  return { pending: entries.length, oldest, ...(lastError ? { lastError } : {}) };
}
