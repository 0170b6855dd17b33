import type { Actor, InboundMessage, Reply, Session } from '../core/types.ts';
import { describeMessage } from '../core/describeMessage.ts';
import { asVerified, linkSharedContact } from '../domain/identify.ts';
import { acknowledgeHandoff, activeHandoff, endHandoff, relayDuringHandoff } from '../domain/handoff.ts';
import type { Flow, FlowContext, FlowDeps, FlowInput } from '../flows/flow.ts';
import { menuReply } from '../flows/menu.ts';
import { isOptOutMessage, recordOptOut } from '../outreach/optOut.ts';
import { isMenuWord, isNeverMind } from './escapes.ts';
import { clearFlow, createFlowRunner } from './flowRunner.ts';
import type { Intent, Nlu, NluResult } from './nlu/index.ts';
import { shapeReplies } from './shapeReplies.ts';

export interface TurnOutcome {
  replies: Reply[];
  /** What the turn was about: the NLU intent, or the active flow for an answer inside a flow. */
  intent?: string;
  /** The flow that handled the turn. */
  flow?: string;
}

/** A low-confidence answer that may hand the conversation to a flow (its `start` runs after `replies`). */
export interface LowConfidenceAnswer {
  replies: Reply[];
  startFlow?: string;
  /** The started flow's first slots. */
  slots?: Record<string, unknown>;
}

/**
 * Answers a message the offline path could not place (Gemini plugs in here): replies, a flow to
 * start, or undefined to let the offline path answer. `session` is for the handler's own memory.
 */
export type LowConfidenceHandler = (ctx: FlowContext, session: Session) => Promise<Reply[] | LowConfidenceAnswer | undefined>;

export interface AgentOptions {
  deps: FlowDeps;
  nlu: Nlu;
  flows: readonly Flow[];
  /** Below this NLU confidence the message goes to `lowConfidence`, or is treated as out of scope. */
  minConfidence?: number;
  lowConfidence?: LowConfidenceHandler;
}

export interface Agent {
  /** Runs one turn. Mutates `session` (flow position, slots); the caller persists it. */
  respond(msg: InboundMessage, session: Session, actor: Actor): Promise<TurnOutcome>;
}

/** Intents that never interrupt an active flow (they are usually answers or small talk). */
const NO_INTERRUPT = new Set<string>(['fuera_de_alcance', 'saludo', 'despedida', 'ayuda']);
const INTERRUPT_CONFIDENCE = 0.85;

/**
 * One turn: quiet mode (a person is handling the chat) → "menú" → menu buttons → the active
 * flow's step (a clear change of topic puts the flow aside and resumes it afterwards) → NLU
 * intent → a flow starts. Replies are shaped for every channel (≤ 800 characters).
 */
export function createAgent(options: AgentOptions): Agent {
  const { deps, nlu } = options;
  const minConfidence = options.minConfidence ?? 0.35;
  const flows = new Map(options.flows.map((f) => [f.id, f]));
  const runner = createFlowRunner(deps, flows);

  async function respond(msg: InboundMessage, session: Session, actor: Actor): Promise<TurnOutcome> {
    const text = (msg.text ?? '').trim();
    const result: NluResult = text ? nlu.classify(text) : { text: '', intent: 'fuera_de_alcance', confidence: 0, entities: {} };
    const input: FlowInput = {
      text,
      nlu: result,
      ...(msg.action !== undefined ? { action: msg.action } : {}),
      ...(msg.contact ? { contact: msg.contact } : {}),
      ...(msg.location ? { location: msg.location } : {}),
      ...(msg.media ? { media: msg.media } : {}),
    };
    const now = deps.clock();
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
    const finish = (replies: Reply[], extra: Omit<TurnOutcome, 'replies'> = {}): TurnOutcome => ({
      replies: shapeReplies(replies, { emojis: deps.config.isp.emojis }),
      ...extra,
    });
    const wantsMenu = isMenuWord(text) || msg.action === 'menu';

    // A person is handling this chat: the bot stays quiet (the message goes to staff) until "menú".
    const handoff = await activeHandoff(deps, actor);
    if (handoff) {
      if (!wantsMenu) {
        await relayDuringHandoff(deps, actor, handoff, describeMessage(msg));
        const ack = await acknowledgeHandoff(deps, actor, handoff);
        return finish(ack ? [{ text: deps.msg.t('common.handoffAck') }] : [], { intent: 'humano' });
      }
      await endHandoff(deps, actor);
    }

    // "BAJA", "STOP", "no me manden mensajes": no more reminders or campaigns, from now on.
    if (text && isOptOutMessage(text)) {
      await recordOptOut(deps, actor);
      clearFlow(session, { dropSuspended: true });
      return finish([{ text: deps.msg.t('common.optOutConfirmed') }], { intent: 'despedida' });
    }

    if (wantsMenu) {
      const wasInFlow = session.flow !== undefined;
      clearFlow(session, { dropSuspended: true });
      return finish([menuReply(deps.msg, actor, wasInFlow ? deps.msg.t('common.leftFlow') : undefined)], { intent: 'ayuda' });
    }

    const pressed = msg.action?.startsWith('intent:') ? msg.action.slice('intent:'.length) : undefined;
    if (pressed !== undefined) {
      clearFlow(session, { dropSuspended: true });
      return finish(...spread(await runner.start(pressed, ctxFor, session, actor)));
    }

    if (session.flow !== undefined) {
      const flow = flows.get(session.flow);
      // The role is checked on every step, not only at the start (a staff flow never continues for anyone else).
      const handler = flow && session.step !== undefined && runner.allowed(flow, actor) ? flow.steps[session.step] : undefined;
      if (!flow || !handler) {
        clearFlow(session, { dropSuspended: true });
      } else {
        const res = await handler(ctxFor());
        if (res.kind !== 'retry') return finish(...spread(await runner.apply(flow, res, ctxFor, session, actor)));
        // Not an answer to this flow's question: maybe to the question of the flow it interrupted.
        const resumed = await runner.tryResume(session, ctxFor, actor);
        if (resumed) return finish(...spread(await runner.apply(resumed.flow, resumed.res, ctxFor, session, actor)));
        if (input.action !== undefined) return finish(...spread(await runner.apply(flow, res, ctxFor, session, actor)));
        // The step did not understand the answer. Maybe the user dropped the question or changed topic.
        if (isNeverMind(text) || (result.intent === 'despedida' && result.confidence >= INTERRUPT_CONFIDENCE)) {
          clearFlow(session, { dropSuspended: true });
          const goodbye = result.intent === 'despedida' ? deps.msg.t('common.goodbye') : undefined;
          return finish(goodbye ? [{ text: goodbye }] : [menuReply(deps.msg, actor, deps.msg.t('common.leftFlow'))], { intent: result.intent, flow: flow.id });
        }
        const otherTopic =
          result.confidence >= INTERRUPT_CONFIDENCE && !NO_INTERRUPT.has(result.intent) && result.intent !== flow.id && isAllowed(result.intent, actor);
        if (!otherTopic) return finish(...spread(await runner.apply(flow, res, ctxFor, session, actor)));
        runner.suspend(session);
      }
    }

    if (!text && input.media) return finish([menuReply(deps.msg, actor, deps.msg.t('common.mediaUnsupported'))]);
    // A location with nothing else is a coverage question.
    if (!text && input.location) return finish(...spread(await runner.start('cobertura', ctxFor, session, actor)));
    // The user's own number shared with Telegram's button links them; then they see their service.
    if (!text && input.contact) {
      const linked = await linkSharedContact(deps, actor, msg.channel, input.contact);
      if (!linked) return finish([menuReply(deps.msg, actor, deps.msg.t('common.contactNotLinked'))]);
      const verified = asVerified(actor, linked);
      return finish(...spread(await runner.start('mi_servicio', () => ({ ...ctxFor(), actor: verified }), session, verified)));
    }

    let intent: Intent | string = result.intent;
    // Not placed offline: low confidence, out of scope, or an intent this actor has no flow for.
    const unplaced = result.confidence < minConfidence || intent === 'fuera_de_alcance' || !isAllowed(intent, actor);
    if (unplaced && text && options.lowConfidence) {
      const answered = await options.lowConfidence(ctxFor(), session);
      const answer: LowConfidenceAnswer | undefined = Array.isArray(answered) ? { replies: answered } : answered;
      if (answer && !answer.startFlow) return finish(answer.replies, { intent: 'fuera_de_alcance' });
      if (answer?.startFlow) {
        if (answer.slots) session.slots = { ...answer.slots };
        const started = await runner.start(answer.startFlow, ctxFor, session, actor);
        return finish([...answer.replies, ...started.replies], { intent: started.intent, flow: started.flow });
      }
    }
    if (result.confidence < minConfidence) intent = 'fuera_de_alcance';
    return finish(...spread(await runner.start(intent, ctxFor, session, actor)));
  }

  function isAllowed(id: string, actor: Actor): boolean {
    const flow = flows.get(id);
    return flow !== undefined && runner.allowed(flow, actor);
  }

  return { respond };
}

const spread = (o: { replies: Reply[]; intent: string; flow: string }): [Reply[], Omit<TurnOutcome, 'replies'>] => [
  o.replies,
  { intent: o.intent, flow: o.flow },
];
