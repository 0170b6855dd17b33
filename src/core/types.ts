/** The channel-neutral turn model shared by every adapter, the gateway, the agent and the flows. */
export type ChannelName = 'console' | 'telegram' | 'whatsapp';

export interface InboundMessage {
  channel: ChannelName;
  /** The conversation (Telegram chat id, WhatsApp wa_id, console user). */
  chatId: string;
  /** The person writing (Telegram user id, WhatsApp wa_id, console --user). */
  userId: string;
  /** Channel message id, used for dedupe. */
  messageId: string;
  text?: string;
  /** Id of a pressed quick reply (button / list row / `#button ID`). */
  action?: string;
  /** A shared contact; `own` when the channel confirms it is the sender's own number. */
  contact?: { phone: string; own: boolean };
  location?: { latitude: number; longitude: number };
  /** Non-text content the bot cannot read (photo, voice, sticker…). */
  media?: 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'other';
  profileName?: string;
  /** The sender's phone when the channel vouches for it (WhatsApp always; console --phone). */
  phone?: string;
  /** Console only (a local operator trying roles with --as); ignored on every other channel. */
  asRole?: Role;
  /**
   * The channel's id of the bot message this one answers (the message whose button was pressed),
   * for the channel to tidy it up after replying (Telegram removes its inline keyboard). Opaque
   * to everything but the channel that set it.
   */
  inReplyTo?: string;
  receivedAt: number;
}

export interface QuickReply {
  id: string;
  title: string;
}

export interface Reply {
  text: string;
  quickReplies?: QuickReply[];
  /** Ask the channel for a "share my number" button where it has one. */
  requestContact?: boolean;
}

export type Role = 'customer' | 'prospect' | 'staff';

export interface Actor {
  role: Role;
  /** Stable key of the person across turns: `${channel}:${userId}`. */
  key: string;
  customerId?: string;
  phone?: string;
  name?: string;
}

export interface HistoryTurn {
  role: 'user' | 'bot';
  text: string;
  at: number;
}

export interface SuspendedFlow {
  flow: string;
  step: string;
  slots: Record<string, unknown>;
  attempts: number;
  /** The question the flow was waiting on, asked again when it resumes. */
  prompt: Reply[];
}

export interface Session {
  flow?: string;
  step?: string;
  slots: Record<string, unknown>;
  /** Failed answers to the current step. */
  attempts: number;
  /** The last question the active flow asked. */
  prompt?: Reply[];
  /** A flow interrupted by another topic; resumed when that one is done. */
  suspended?: SuspendedFlow;
  history: HistoryTurn[];
  /** Gemini's own recent turns, tool calls and results included (src/agent/gemini/memory.ts). */
  gemini?: GeminiMemory;
  updatedAt: number;
}

/** What Gemini remembers of a conversation: its last turns as API `Content` objects (JSON), trimmed. */
export interface GeminiMemory {
  /** The identity the memory belongs to (`role:customerId`); another identity starts with none. */
  owner: string;
  turns: { at: number; contents: unknown[] }[];
}

export function emptySession(now: number): Session {
  return { slots: {}, attempts: 0, history: [], updatedAt: now };
}
