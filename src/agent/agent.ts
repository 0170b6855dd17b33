import type { Actor, InboundMessage, Reply, Session } from '../core/types.ts';
import { describeMessage } from '../core/describeMessage.ts';
import { activeHandoff, endHandoff, relayDuringHandoff } from '../domain/handoff.ts';
import type { Flow, FlowContext, FlowDeps, FlowInput, StepResult } from '../flows/flow.ts';
import { handoffOffer, menuReply } from '../flows/menu.ts';
import type { Intent, Nlu, NluResult } from './nlu/index.ts';
import { shapeReplies } from './shapeReplies.ts';

export interface TurnOutcome {
  replies: Reply[];
  /** What the turn was about: the NLU intent, or the active flow for an answer inside a flow. */
  intent?: string;
  /** The flow that handled the turn. */
  flow?: string;
}

/** Answers a message the offline path could not place (Gemini plugs in here). */
export type LowConfidenceHandler = (ctx: FlowContext) => Promise<Reply[] | undefined>;

export interface AgentOptions {
  deps: FlowDeps;
  nlu: Nlu;
  flows: readonly Flow[];
  /** Below this NLU confidence the message goes to `lowConfidence`, or is treated as out of scope. */
  minConfidence?: number;
  lowConfidence?: LowConfidenceHandler;
}

export interface Agent {
  /** Runs one turn. Mutates `session` (flow position, slots, quiet mode); the caller persists it. */
  respond(msg: InboundMessage, session: Session, actor: Actor): Promise<TurnOutcome>;
}

const ESCAPES = new Set(['menu', 'salir', 'inicio', 'menu principal', 'regresar', 'volver']);
/** Intents that may interrupt an active flow when the user clearly changes topic. */
const NO_INTERRUPT = new Set<string>(['fuera_de_alcance', 'saludo', 'despedida', 'ayuda']);
const INTERRUPT_CONFIDENCE = 0.85;
const MAX_SWITCHES = 3;

export function createAgent(options: AgentOptions): Agent {
  const { deps, nlu } = options;
  const minConfidence = options.minConfidence ?? 0.35;
  const flows = new Map(options.flows.map((f) => [f.id, f]));

  const isEscape = (text: string): boolean => ESCAPES.has(normalize(text));

  function allowed(flow: Flow, actor: Actor): boolean {
    return !flow.roles || flow.roles.includes(actor.role);
  }

  function isAllowedFlow(id: string, actor: Actor): boolean {
    const flow = flows.get(id);
    return flow !== undefined && allowed(flow, actor);
  }

  async function respond(msg: InboundMessage, session: Session, actor: Actor): Promise<TurnOutcome> {
    const now = deps.clock();
    const text = (msg.text ?? '').trim();
    const result: NluResult = text
      ? nlu.classify(text)
      : { text: '', intent: 'fuera_de_alcance', confidence: 0, entities: {} };
    const input: FlowInput = {
      text,
      nlu: result,
      ...(msg.action !== undefined ? { action: msg.action } : {}),
      ...(msg.contact ? { contact: msg.contact } : {}),
      ...(msg.location ? { location: msg.location } : {}),
      ...(msg.media ? { media: msg.media } : {}),
    };
    const ctxFor = (): FlowContext => ({
      deps,
      actor,
      input,
      slots: session.slots,
      channel: msg.channel,
      history: session.history,
      now,
      ...(msg.profileName ? { profileName: msg.profileName } : {}),
    });
    const finish = (replies: Reply[], extra: Omit<TurnOutcome, 'replies'>): TurnOutcome => ({
      replies: shapeReplies(replies, { emojis: deps.config.isp.emojis }),
      ...extra,
    });

    // A person is handling this chat: the bot stays quiet (the message goes to staff) until "menú".
    const handoff = await activeHandoff(deps, actor);
    if (handoff) {
      if (!isEscape(text) && msg.action !== 'menu') {
        await relayDuringHandoff(deps, actor, handoff, describeMessage(msg));
        return finish([], { intent: 'humano' });
      }
      await endHandoff(deps, actor);
    }

    if (isEscape(text) || msg.action === 'menu') {
      const wasInFlow = session.flow !== undefined;
      clearFlow(session);
      return finish([menuReply(deps.msg, actor, wasInFlow ? deps.msg.t('common.leftFlow') : undefined)], { intent: 'ayuda' });
    }

    const pressed = msg.action?.startsWith('intent:') ? msg.action.slice('intent:'.length) : undefined;
    if (pressed !== undefined) {
      clearFlow(session);
      return startFlow(pressed, ctxFor, session, actor, finish);
    }

    if (session.flow !== undefined) {
      const flow = flows.get(session.flow);
      // The role is checked on every step, not only at the start (a staff flow never continues for anyone else).
      const handler = flow && session.step !== undefined && allowed(flow, actor) ? flow.steps[session.step] : undefined;
      if (flow && handler) {
        const res = await handler(ctxFor());
        const changedTopic =
          res.kind === 'retry' &&
          input.action === undefined &&
          result.confidence >= INTERRUPT_CONFIDENCE &&
          !NO_INTERRUPT.has(result.intent) &&
          result.intent !== flow.id &&
          isAllowedFlow(result.intent, actor);
        if (!changedTopic) return apply(flow, res, ctxFor, session, actor, finish, 0);
      }
      clearFlow(session);
    }

    if (!text && input.media) return finish([menuReply(deps.msg, actor, deps.msg.t('common.mediaUnsupported'))], {});

    let intent: Intent | string = result.intent;
    if (result.confidence < minConfidence && intent !== 'fuera_de_alcance') {
      const answered = options.lowConfidence ? await options.lowConfidence(ctxFor()) : undefined;
      if (answered) return finish(answered, { intent: 'fuera_de_alcance' });
      intent = 'fuera_de_alcance';
    }
    return startFlow(intent, ctxFor, session, actor, finish);
  }

  async function startFlow(
    id: string,
    ctxFor: () => FlowContext,
    session: Session,
    actor: Actor,
    finish: (r: Reply[], e: Omit<TurnOutcome, 'replies'>) => TurnOutcome,
    switches = 0,
  ): Promise<TurnOutcome> {
    let flow = flows.get(id);
    // Staff-only words from anyone else get the ordinary menu and reveal nothing.
    if (!flow || !allowed(flow, actor)) flow = flows.get('ayuda');
    if (!flow) throw new Error('the ayuda flow is not registered');
    session.flow = flow.id;
    session.step = undefined;
    session.attempts = 0;
    const res = await flow.start(ctxFor());
    return apply(flow, res, ctxFor, session, actor, finish, switches, id);
  }

  async function apply(
    flow: Flow,
    res: StepResult,
    ctxFor: () => FlowContext,
    session: Session,
    actor: Actor,
    finish: (r: Reply[], e: Omit<TurnOutcome, 'replies'>) => TurnOutcome,
    switches: number,
    intent: string = flow.id,
  ): Promise<TurnOutcome> {
    switch (res.kind) {
      case 'ask':
        if (session.step !== res.step) session.attempts = 0;
        session.flow = flow.id;
        session.step = res.step;
        return finish(res.replies, { intent, flow: flow.id });
      case 'retry': {
        // A retry needs a step to return to; a flow that rejects its very first message just ends.
        if (session.step === undefined) {
          clearFlow(session);
          return finish(res.replies, { intent, flow: flow.id });
        }
        session.attempts += 1;
        if (session.attempts >= deps.config.flows.maxAttempts) {
          clearFlow(session);
          return finish([handoffOffer(deps.msg, deps.msg.t('common.tooManyAttempts'))], { intent, flow: flow.id });
        }
        return finish(res.replies, { intent, flow: flow.id });
      }
      case 'done':
        clearFlow(session);
        return finish(res.replies, { intent, flow: flow.id });
      case 'switch': {
        if (switches >= MAX_SWITCHES) throw new Error(`flow switch loop at ${flow.id} → ${res.flow}`);
        clearFlow(session);
        if (res.slots) session.slots = { ...res.slots };
        const next = await startFlow(res.flow, ctxFor, session, actor, (r, e) => ({ replies: r, ...e }), switches + 1);
        return finish([...res.replies, ...next.replies], { intent: next.intent ?? res.flow, flow: next.flow ?? res.flow });
      }
    }
  }

  return { respond };
}

function clearFlow(session: Session): void {
  delete session.flow;
  delete session.step;
  session.slots = {};
  session.attempts = 0;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim();
}
