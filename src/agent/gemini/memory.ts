import type { Content, Part } from '@google/genai';
import { z } from 'zod';
import type { Actor, Session } from '../../core/types.ts';

/**
 * What Gemini remembers of a conversation: its last N turns as API contents — the person's
 * message, its function calls, the function responses and its answer — so it knows what it
 * already did. Kept in the Session (`session.gemini`), so it is saved with the turn, expires with
 * the session's idle TTL and needs no key of its own. Trimmed to stay small; read back through
 * zod (a session is outside data), and dropped when the identity writing is not the one it belongs to.
 */

const MAX_TEXT = 1200;
const MAX_RESPONSE_JSON = 2000;

const partSchema = z.record(z.string(), z.unknown());
const contentSchema = z.object({ role: z.enum(['user', 'model']), parts: z.array(partSchema).min(1) });
const memorySchema = z.object({
  owner: z.string(),
  turns: z.array(z.object({ at: z.number(), contents: z.array(contentSchema) })),
});

/** Whose memory it is: a customer's account, else the channel user. */
export const memoryOwner = (actor: Actor): string => `${actor.role}:${actor.customerId ?? actor.key}`;

/** The remembered contents, oldest first (empty when there are none, they are unreadable or not this actor's). */
export function recall(session: Session, actor: Actor): Content[] {
  const parsed = memorySchema.safeParse(session.gemini);
  if (!parsed.success || parsed.data.owner !== memoryOwner(actor)) return [];
  return parsed.data.turns.flatMap((t) => t.contents as Content[]);
}

/** Every function response in the remembered turns (what the model was told before). */
export function rememberedResponses(contents: readonly Content[]): unknown[] {
  return contents.flatMap((c) => (c.parts ?? []).flatMap((p) => (p.functionResponse?.response ? [p.functionResponse.response] : [])));
}

function trimPart(part: Part): Part | undefined {
  if (part.thought) return undefined;
  if (typeof part.text === 'string' && part.text.length > MAX_TEXT) return { ...part, text: `${part.text.slice(0, MAX_TEXT)}…` };
  const response = part.functionResponse?.response;
  if (part.functionResponse && response) {
    const json = JSON.stringify(response);
    if (json.length > MAX_RESPONSE_JSON) return { functionResponse: { ...part.functionResponse, response: { truncated: `${json.slice(0, MAX_RESPONSE_JSON)}…` } } };
  }
  return part;
}

/** Appends this turn and keeps the last `keepTurns` turns. */
export function remember(session: Session, actor: Actor, turn: readonly Content[], at: number, keepTurns: number): void {
  if (keepTurns <= 0) {
    delete session.gemini;
    return;
  }
  const owner = memoryOwner(actor);
  const parsed = memorySchema.safeParse(session.gemini);
  const turns = parsed.success && parsed.data.owner === owner ? parsed.data.turns : [];
  const contents = turn
    .map((c) => ({ role: c.role ?? 'user', parts: (c.parts ?? []).map(trimPart).filter((p): p is Part => p !== undefined) }))
    .filter((c) => c.parts.length > 0);
  turns.push({ at, contents: JSON.parse(JSON.stringify(contents)) as unknown[] as z.infer<typeof contentSchema>[] });
  session.gemini = { owner, turns: turns.slice(-keepTurns) };
}
