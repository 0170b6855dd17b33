import type { Actor, Reply, Session } from '../core/types.ts';
import type { Flow, FlowContext, FlowDeps, StepResult } from '../flows/flow.ts';
import { handoffOffer } from '../flows/menu.ts';

export interface FlowOutcome {
  replies: Reply[];
  intent: string;
  flow: string;
}

const MAX_SWITCHES = 3;

/**
 * Runs flows and keeps their position in the session: ask/retry/done/switch, the attempt limit,
 * and one interrupted flow that is resumed when the interrupting one is done.
 */
export function createFlowRunner(deps: FlowDeps, flows: ReadonlyMap<string, Flow>) {
  const allowed = (flow: Flow, actor: Actor): boolean => !flow.roles || flow.roles.includes(actor.role);

  /** The flow for an intent if this actor may run it; staff-only words from others get `ayuda`. */
  function flowFor(id: string, actor: Actor): Flow {
    const flow = flows.get(id);
    if (flow && allowed(flow, actor)) return flow;
    const fallback = flows.get('ayuda');
    if (!fallback) throw new Error('the ayuda flow is not registered');
    return fallback;
  }

  async function start(id: string, ctxFor: () => FlowContext, session: Session, actor: Actor, switches = 0): Promise<FlowOutcome> {
    const flow = flowFor(id, actor);
    session.flow = flow.id;
    delete session.step;
    session.attempts = 0;
    return apply(flow, await flow.start(ctxFor()), ctxFor, session, actor, switches, id);
  }

  async function apply(
    flow: Flow,
    res: StepResult,
    ctxFor: () => FlowContext,
    session: Session,
    actor: Actor,
    switches = 0,
    intent: string = flow.id,
  ): Promise<FlowOutcome> {
    const out = (replies: Reply[]): FlowOutcome => ({ replies, intent, flow: flow.id });
    switch (res.kind) {
      case 'ask':
        if (session.step !== res.step) session.attempts = 0;
        session.flow = flow.id;
        session.step = res.step;
        session.prompt = res.replies.slice(-1);
        return out(res.replies);
      case 'retry':
        // A retry needs a step to return to; a flow that rejects its very first message just ends.
        if (session.step === undefined) return out(finish(session, res.replies));
        session.attempts += 1;
        if (session.attempts >= deps.config.flows.maxAttempts) {
          clearFlow(session, { dropSuspended: true });
          return out([handoffOffer(deps.msg, deps.msg.t('common.tooManyAttempts'))]);
        }
        return out(res.replies);
      case 'done': {
        const replies = finish(session, res.replies);
        // When an interrupted flow resumed, the conversation is in that flow again.
        return { replies, intent, flow: session.flow ?? flow.id };
      }
      case 'switch': {
        if (switches >= MAX_SWITCHES) throw new Error(`flow switch loop at ${flow.id} → ${res.flow}`);
        clearFlow(session);
        if (res.slots) session.slots = { ...res.slots };
        const next = await start(res.flow, ctxFor, session, actor, switches + 1);
        return { ...next, replies: [...res.replies, ...next.replies] };
      }
    }
  }

  /** Ends the active flow; resumes the interrupted one, if any, by asking its question again. */
  function finish(session: Session, replies: Reply[]): Reply[] {
    clearFlow(session);
    const resumed = session.suspended;
    if (!resumed) return replies;
    delete session.suspended;
    session.flow = resumed.flow;
    session.step = resumed.step;
    session.slots = resumed.slots;
    session.attempts = resumed.attempts;
    session.prompt = resumed.prompt;
    return [...replies, { text: deps.msg.t('common.resume') }, ...resumed.prompt];
  }

  /**
   * Tries the interrupted flow's pending question with this answer (the user went back to it).
   * Returns the flow and its result when it understood the answer — the session then belongs to
   * that flow again — or undefined, leaving the session exactly as it was.
   */
  async function tryResume(session: Session, ctxFor: () => FlowContext, actor: Actor): Promise<{ flow: Flow; res: StepResult } | undefined> {
    const saved = session.suspended;
    const flow = saved ? flows.get(saved.flow) : undefined;
    const handler = saved && flow && allowed(flow, actor) ? flow.steps[saved.step] : undefined;
    if (!saved || !flow || !handler) return undefined;
    const active = { flow: session.flow, step: session.step, slots: session.slots, attempts: session.attempts, prompt: session.prompt };
    Object.assign(session, { flow: saved.flow, step: saved.step, slots: structuredClone(saved.slots), attempts: saved.attempts, prompt: saved.prompt });
    const res = await handler(ctxFor());
    if (res.kind !== 'retry') {
      delete session.suspended;
      return { flow, res };
    }
    Object.assign(session, active);
    return undefined;
  }

  /** Puts the active flow aside (one level) while the user asks about something else. */
  function suspend(session: Session): void {
    if (session.flow !== undefined && session.step !== undefined && !session.suspended) {
      session.suspended = { flow: session.flow, step: session.step, slots: session.slots, attempts: session.attempts, prompt: session.prompt ?? [] };
    }
    clearFlow(session);
  }

  return { allowed, flowFor, start, apply, suspend, tryResume };
}

export function clearFlow(session: Session, options: { dropSuspended?: boolean } = {}): void {
  delete session.flow;
  delete session.step;
  delete session.prompt;
  session.slots = {};
  session.attempts = 0;
  if (options.dropSuspended) delete session.suspended;
}
