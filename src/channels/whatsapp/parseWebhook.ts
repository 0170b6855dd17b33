import type { z } from 'zod';
import { contentSchemas, envelopeSchema, messageBaseSchema, messagesValueSchema, statusSchema } from './webhookSchema.ts';

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

/** What one inbound WhatsApp message carries, reduced to what the adapter translates. */
export type WaContent =
  | { kind: 'text'; text: string }
  /** A pressed reply button / list row (`interactive`) or a template quick-reply button (`button`). */
  | { kind: 'action'; id: string; title?: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'media'; media: MediaKind; caption?: string }
  | { kind: 'contact'; phone: string }
  | { kind: 'reaction'; emoji: string }
  /** The person opened the chat for the first time (Meta's `request_welcome`). */
  | { kind: 'welcome' }
  /** A number change or other system notice: recorded, never a turn. */
  | { kind: 'system'; type: string }
  /** Anything WhatsApp marks unsupported, or a type this adapter does not read (polls, orders…). */
  | { kind: 'unsupported'; type: string };

export interface WaMessage {
  waId: string;
  wamid: string;
  /** Seconds since the epoch, as Meta sends it. */
  timestamp: number;
  type: string;
  profileName?: string;
  content: WaContent;
}

export interface WaStatus {
  wamid: string;
  status: string;
  recipient?: string;
  /** What we attached to the message when sending it (`biz_opaque_callback_data`). */
  callbackData?: string;
  errors: { code?: number; title?: string; message?: string }[];
}

export interface ParsedDelivery {
  messages: WaMessage[];
  statuses: WaStatus[];
  /** Items skipped with the reason (malformed message, error notice…), for the log. */
  problems: string[];
  /** Messages addressed to another phone-number id of the same business account (not ours to answer). */
  foreign: number;
  /** Change fields other than `messages` (template status, account updates…), ignored. */
  otherFields: string[];
}

export type ParseResult = { ok: true; delivery: ParsedDelivery } | { ok: false; reason: string };

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/** Parses a delivery whose signature was already verified. Never throws. */
export function parseDelivery(raw: Buffer, phoneNumberId: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `not a WhatsApp webhook body: ${describeIssues(envelope.error)}` };

  const out: ParsedDelivery = { messages: [], statuses: [], problems: [], foreign: 0, otherFields: [] };
  envelope.data.entry.forEach((entry, e) =>
    entry.changes.forEach((change, c) => {
      const where = `entry[${e}].changes[${c}]`;
      if (change.field !== 'messages') return void out.otherFields.push(change.field);
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) return void out.problems.push(`${where}.value: ${describeIssues(value.error)}`);
      const v = value.data;
      if (v.metadata.phone_number_id !== phoneNumberId) {
        out.foreign += (v.messages?.length ?? 0) + (v.statuses?.length ?? 0);
        return;
      }
      for (const err of v.errors ?? []) out.problems.push(`${where}.value.errors: ${JSON.stringify(err).slice(0, 300)}`);
      (v.messages ?? []).forEach((m, i) => {
        const parsed = parseMessage(m, v.contacts ?? []);
        if (typeof parsed === 'string') out.problems.push(`${where}.value.messages[${i}]: ${parsed}`);
        else out.messages.push(parsed);
      });
      (v.statuses ?? []).forEach((s, i) => {
        const parsed = statusSchema.safeParse(s);
        if (!parsed.success) return void out.problems.push(`${where}.value.statuses[${i}]: ${describeIssues(parsed.error)}`);
        const { id, status, recipient_id, errors, biz_opaque_callback_data: callbackData } = parsed.data;
        out.statuses.push({ wamid: id, status, ...(recipient_id ? { recipient: recipient_id } : {}), ...(callbackData ? { callbackData } : {}), errors: errors ?? [] });
      });
    }),
  );
  return { ok: true, delivery: out };
}

type Contacts = { wa_id?: string | undefined; profile?: { name?: string | undefined } | undefined }[];

/** One message, or the reason it cannot be read. */
function parseMessage(raw: unknown, contacts: Contacts): WaMessage | string {
  const base = messageBaseSchema.safeParse(raw);
  if (!base.success) return describeIssues(base.error);
  const { from, id, timestamp, type } = base.data;
  const content = readContent(type, raw);
  if (typeof content === 'string') return `${type} message ${content}`;
  // Only the sender's own contact entry (or the only one): never another person's name in a batch.
  const profile = (contacts.find((c) => c.wa_id === from) ?? (contacts.length === 1 ? contacts[0] : undefined))?.profile?.name?.trim();
  return { waId: from, wamid: id, timestamp, type, content, ...(profile ? { profileName: profile } : {}) };
}

function readContent(type: string, raw: unknown): WaContent | string {
  const read = <K extends keyof typeof contentSchemas>(key: K): z.infer<(typeof contentSchemas)[K]> | string => {
    const r = contentSchemas[key].safeParse(raw);
    return r.success ? (r.data as z.infer<(typeof contentSchemas)[K]>) : describeIssues(r.error);
  };
  switch (type) {
    case 'text': {
      const m = read('text');
      return typeof m === 'string' ? m : { kind: 'text', text: m.text.body };
    }
    case 'interactive': {
      const m = read('interactive');
      if (typeof m === 'string') return m;
      const i = m.interactive as { type: string; button_reply?: { id: string; title?: string }; list_reply?: { id: string; title?: string } };
      const reply = i.type === 'button_reply' ? i.button_reply : i.type === 'list_reply' ? i.list_reply : undefined;
      if (!reply) return { kind: 'unsupported', type: `interactive.${i.type}` };
      return { kind: 'action', id: reply.id, ...(reply.title ? { title: reply.title } : {}) };
    }
    case 'button': {
      const m = read('button');
      if (typeof m === 'string') return m;
      const pressed = m.button.payload || m.button.text;
      return pressed ? { kind: 'action', id: pressed, ...(m.button.text ? { title: m.button.text } : {}) } : 'has neither payload nor text';
    }
    case 'location': {
      const m = read('location');
      if (typeof m === 'string') return m;
      const { latitude, longitude, name, address } = m.location;
      return { kind: 'location', latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) };
    }
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker': {
      const m = read(type);
      if (typeof m === 'string') return m;
      const caption = (m as Record<string, { caption?: string | undefined }>)[type]?.caption?.trim();
      return { kind: 'media', media: type, ...(caption ? { caption } : {}) };
    }
    case 'contacts': {
      const m = read('contacts');
      if (typeof m === 'string') return m;
      const phone = m.contacts[0]?.phones?.map((p) => p.wa_id || p.phone).find(Boolean);
      return phone ? { kind: 'contact', phone } : { kind: 'unsupported', type: 'contacts without a phone' };
    }
    case 'reaction': {
      const m = read('reaction');
      return typeof m === 'string' ? m : { kind: 'reaction', emoji: m.reaction.emoji ?? '' };
    }
    case 'request_welcome':
      return { kind: 'welcome' };
    case 'system':
      return { kind: 'system', type };
    default:
      return { kind: 'unsupported', type };
  }
}
