import type { IspConfig } from '../config/schema.ts';
import type { Messages } from '../config/messages.ts';
import type { Actor, ChannelName, HistoryTurn, InboundMessage, Reply, Role } from '../core/types.ts';
import type { NluResult } from '../agent/nlu/index.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { Store } from '../sheets/store.ts';
import type { KeyValueStore } from '../state/keyValue.ts';

/** What every flow and domain operation may use. Built once in the composition root. */
export interface FlowDeps {
  config: IspConfig;
  msg: Messages;
  store: Store;
  /** Shared state: counters (mass outage), links between channel users and customers. */
  kv: KeyValueStore;
  notifier: Notifier;
  clock: () => Date;
}

/** The user's turn as a flow sees it: channel-neutral. */
export interface FlowInput {
  /** Trimmed text, '' when the turn had none (button, contact, location). */
  text: string;
  /** Id of a pressed quick reply. */
  action?: string;
  contact?: InboundMessage['contact'];
  location?: InboundMessage['location'];
  media?: InboundMessage['media'];
  /** Classification of `text` (entities are useful inside flows too). */
  nlu: NluResult;
}

export interface FlowContext {
  deps: FlowDeps;
  actor: Actor;
  input: FlowInput;
  /** The flow's own data; mutate it freely, the engine persists it with the session. */
  slots: Record<string, unknown>;
  channel: ChannelName;
  profileName?: string;
  history: readonly HistoryTurn[];
  now: Date;
}

export type StepResult =
  /** Wait for the user's answer, then run `step`. */
  | { kind: 'ask'; step: string; replies: Reply[] }
  /** The answer was not valid: the engine counts the attempt and, past the limit, offers a person. */
  | { kind: 'retry'; replies: Reply[] }
  /** The flow is over. */
  | { kind: 'done'; replies: Reply[] }
  /** Hand the conversation to another flow (its `start` runs now), after sending `replies`. */
  | { kind: 'switch'; flow: string; replies: Reply[]; slots?: Record<string, unknown> };

export type StepHandler = (ctx: FlowContext) => Promise<StepResult> | StepResult;

export interface Flow {
  /** Stable id, written into sessions: never rename a shipped one. Usually the intent it serves. */
  id: string;
  /** Who may run it; everyone when absent. Staff operations check the role again inside. */
  roles?: readonly Role[];
  start: StepHandler;
  steps: Record<string, StepHandler>;
}

export const ask = (step: string, ...replies: Reply[]): StepResult => ({ kind: 'ask', step, replies });
export const retry = (...replies: Reply[]): StepResult => ({ kind: 'retry', replies });
export const done = (...replies: Reply[]): StepResult => ({ kind: 'done', replies });
export const switchTo = (flow: string, replies: Reply[] = [], slots?: Record<string, unknown>): StepResult => ({
  kind: 'switch',
  flow,
  replies,
  ...(slots ? { slots } : {}),
});
