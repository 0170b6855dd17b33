import type { Actor } from '../core/types.ts';
import type { FlowDeps } from '../flows/flow.ts';
import { quietKey } from './actors.ts';

/** What the humano flow leaves in the KV while a person handles the chat (TTL = quiet time). */
export interface HandoffState {
  /** Epoch ms when the bot speaks again. */
  until: number;
  /** The humano ticket the conversation belongs to. */
  folio?: string;
  /** Epoch ms of the last "a person will answer" acknowledgement sent during the quiet time. */
  ackedAt?: number;
}

const ACK_EVERY_MS = 10 * 60_000;

const MAX_NOTES = 4000;

export async function startHandoff(deps: FlowDeps, actor: Actor, state: HandoffState): Promise<void> {
  const ttl = state.until - deps.clock().getTime();
  if (ttl > 0) await deps.kv.set(quietKey(actor.key), state, ttl);
}

export async function activeHandoff(deps: FlowDeps, actor: Actor): Promise<HandoffState | undefined> {
  const value = await deps.kv.get<HandoffState | number>(quietKey(actor.key));
  if (value === undefined) return undefined;
  return typeof value === 'number' ? { until: value } : value;
}

/**
 * Whether to tell the customer (again) that a person has their message: on the first message of
 * the quiet time and then at most every 10 minutes, so they never talk into silence.
 */
export async function acknowledgeHandoff(deps: FlowDeps, actor: Actor, state: HandoffState): Promise<boolean> {
  const now = deps.clock().getTime();
  if (state.ackedAt !== undefined && now - state.ackedAt < ACK_EVERY_MS) return false;
  await startHandoff(deps, actor, { ...state, ackedAt: now });
  return true;
}

export async function endHandoff(deps: FlowDeps, actor: Actor): Promise<void> {
  await deps.kv.delete(quietKey(actor.key));
}

/**
 * A message written while a person handles the chat is not answered by the bot, but it is not
 * lost either: it is appended to the humano ticket's notes and forwarded to staff as an alert.
 */
export async function relayDuringHandoff(deps: FlowDeps, actor: Actor, state: HandoffState, text: string): Promise<void> {
  const now = deps.clock();
  const folio = state.folio ?? '—';
  if (state.folio) {
    const ticket = await deps.store.getIncident(state.folio);
    if (ticket) {
      const line = `[${now.toISOString().slice(0, 16).replace('T', ' ')}] ${text}`;
      const notes = [ticket.notes, line].filter(Boolean).join('\n');
      await deps.store.updateIncident(state.folio, { notes: notes.slice(-MAX_NOTES) });
    }
  }
  await deps.notifier.notifyStaff({
    kind: 'humano',
    text: deps.msg.t('common.handoffRelay', { folio, who: actor.name ?? actor.key, text: text.slice(0, 500) }),
    ...(state.folio ? { ref: state.folio } : {}),
    at: now.toISOString(),
  });
}
