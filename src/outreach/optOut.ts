/**
 * Opt-out from outreach: "BAJA", "STOP", "no me manden mensajes"… recorded in the KV (no TTL) per
 * customer (or per actor key when the sender is not a known customer) and honoured by every later
 * reminder and campaign. The inbound side (agent) calls `isOptOutMessage` then `recordOptOut`.
 */
import type { Actor } from '../core/types.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import { fold } from '../domain/catalog.ts';

const EXACT = new Set(['baja', 'stop', 'alto', 'unsubscribe', 'cancelar suscripcion', 'basta']);
const PHRASES = [
  /\bno (me )?(manden|envien|mande|envie|escriban|escriba|sigan mandando|sigan enviando) (mas )?(mensajes|msjs|promociones|publicidad|nada)\b/,
  /\bya no (me )?(manden|envien|escriban|quiero recibir)\b/,
  /\b(dejen|deja) de (mandar|enviar|escribir)(me)?\b/,
  /\bno quiero (recibir )?(mas )?(mensajes|promociones|publicidad)\b/,
  /\b(darme|dame|denme) de baja (de|del) (los )?(mensajes|avisos|promociones|lista)\b/,
];

/** True for a message that asks to stop receiving outreach (not a service cancellation). */
export function isOptOutMessage(text: string): boolean {
  const t = fold(text);
  if (t.length === 0) return false;
  if (EXACT.has(t)) return true;
  return PHRASES.some((re) => re.test(t));
}

export interface OptOutDeps {
  kv: KeyValueStore;
  clock: () => Date;
}

const key = (id: string) => `outreach:optout:${id}`;
/** The opt-out key of an actor: its customer id when known, else its channel key. */
const actorIds = (actor: Pick<Actor, 'customerId' | 'key'>): string[] => [actor.customerId, actor.key].filter((v): v is string => !!v);

export async function recordOptOut(deps: OptOutDeps, actor: Pick<Actor, 'customerId' | 'key'>): Promise<void> {
  const at = deps.clock().toISOString();
  for (const id of actorIds(actor)) await deps.kv.set(key(id), { at });
}

export async function isOptedOut(kv: KeyValueStore, customerId: string): Promise<boolean> {
  return (await kv.get(key(customerId))) !== undefined;
}

/** Undo an opt-out (the customer wrote "ALTA" or asked staff). */
export async function clearOptOut(kv: KeyValueStore, actor: Pick<Actor, 'customerId' | 'key'>): Promise<void> {
  for (const id of actorIds(actor)) await kv.delete(key(id));
}
