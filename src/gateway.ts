import type { Logger } from 'pino';
import type { Agent, TurnOutcome } from './agent/agent.ts';
import type { Actor, InboundMessage, Reply, Session } from './core/types.ts';
import type { KeyValueEntry, KeyValueStore } from './state/keyValue.ts';
import { sessionKey, type SessionStore } from './state/sessionStore.ts';
import { actorKeyOf, linkKey, quietKey } from './domain/actors.ts';
import { withLock } from './state/lock.ts';
import { createKeyedQueue } from './core/keyedQueue.ts';
import { describeMessage } from './core/describeMessage.ts';
import { maskDigitRuns } from './core/phone.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { UserRateLimit } from './userRateLimit.ts';
import { lazyChild } from './logger.ts';

export interface GatewayOptions {
  kv: KeyValueStore;
  sessions: SessionStore;
  agent: Agent;
  resolveActor: (msg: InboundMessage) => Promise<Actor>;
  logger: Logger;
  clock: () => Date;
  /** Last N turns kept in the session (for context and later for Gemini). */
  historyTurns: number;
  /** How long a channel message id is remembered for dedupe (providers redeliver for days). */
  dedupeTtlMs?: number;
  /** What the user sees when a turn fails unexpectedly (never a stack trace). */
  errorReply: Reply;
  /** Prometheus metrics (turns, latency, dedupe hits, active conversations); none in most tests. */
  metrics?: Metrics;
  /** Per-user flood control; `rateLimitedReply` is sent once per block. */
  rateLimit?: UserRateLimit;
  rateLimitedReply?: Reply;
}

export interface GatewayResult extends TurnOutcome {
  /** True when this message id was already handled: nothing ran, nothing to send. */
  duplicate: boolean;
}

export interface ClaimedTurnOptions {
  /** Written in the same atomic step as the session (the durable queue stores the turn's replies). */
  alongside?: (outcome: TurnOutcome) => KeyValueEntry[];
  /** Runs right before the session is saved; throwing keeps the turn from being saved (a lost claim). */
  beforeSave?: () => Promise<void>;
}

export interface Gateway {
  handle(msg: InboundMessage): Promise<GatewayResult>;
  /**
   * For the durable queue, which has already deduplicated the message and runs one turn at a time
   * per conversation across instances: rate limit, then the turn. Throws when the turn fails; the
   * session is then not saved and the caller decides between an error reply and a retry.
   */
  runClaimed(msg: InboundMessage, options?: ClaimedTurnOptions): Promise<TurnOutcome>;
}

const SEVEN_DAYS = 7 * 24 * 3600_000;
const LOCK_TTL = 30_000;

/**
 * The path of one message: dedupe → one turn at a time per conversation → session → actor →
 * agent → session saved. Channel adapters call `handle` and render the replies.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { kv, sessions, agent, logger, clock, metrics } = options;
  const dedupeTtl = options.dedupeTtlMs ?? SEVEN_DAYS;
  // In-process FIFO per conversation; the KV lock extends the exclusion to other instances.
  const queue = createKeyedQueue();
  // A memory KV lives in this process only: the queue already excludes, a KV lock would add nothing.
  const inProcessKv = kv.kind === 'memory';

  /**
   * Rejects only when the state store cannot even record the message id (Redis down): nothing ran,
   * so a webhook can answer 5xx and the provider redelivers. Any later failure is answered with
   * `errorReply`, and the message id is released so a redelivery runs the turn again.
   */
  async function handle(msg: InboundMessage): Promise<GatewayResult> {
    const conversation = `${msg.channel}:${msg.chatId}`;
    const dedupeKey = `dedupe:${msg.channel}:${msg.messageId}`;
    if (!(await kv.setIfAbsent(dedupeKey, clock().getTime(), dedupeTtl))) {
      logger.info({ conversation: maskDigitRuns(conversation), messageId: msg.messageId }, 'duplicate message ignored');
      metrics?.dedupeHits.inc({ channel: msg.channel });
      return { replies: [], duplicate: true };
    }
    const log = lazyChild(logger, { turnKey: maskDigitRuns(conversation), messageId: msg.messageId });
    const limited = await limit(msg, log);
    if (limited) return limited;
    try {
      const exclusive = (): Promise<GatewayResult> => (inProcessKv ? turn(msg, conversation, log) : withLock(kv, `turn:${conversation}`, LOCK_TTL, () => turn(msg, conversation, log)));
      const run = (): Promise<GatewayResult> => queue.run(conversation, exclusive);
      return await run();
    } catch (err) {
      // The session was not saved: the user can repeat the same answer once the fault is gone.
      log.error({ err }, 'turn failed');
      await kv.delete(dedupeKey).catch(() => undefined);
      return { replies: [options.errorReply], duplicate: false };
    }
  }

  /** A refused message (flood) is not a turn: the first one of a block gets the notice, the rest nothing. */
  async function limit(msg: InboundMessage, log: Logger): Promise<GatewayResult | undefined> {
    if (!options.rateLimit) return undefined;
    const decision = await options.rateLimit.check(`${msg.channel}:${msg.userId}`);
    if (decision === 'ok') return undefined;
    metrics?.rateLimited.inc({ channel: msg.channel });
    if (decision === 'drop') return { replies: [], duplicate: false, intent: 'rate_limited' };
    log.warn('user over the message rate limit: told to wait, further messages dropped for the block');
    return { replies: options.rateLimitedReply ? [options.rateLimitedReply] : [], duplicate: false, intent: 'rate_limited' };
  }

  async function runClaimed(msg: InboundMessage, claimed: ClaimedTurnOptions = {}): Promise<TurnOutcome> {
    const conversation = `${msg.channel}:${msg.chatId}`;
    const log = lazyChild(logger, { turnKey: maskDigitRuns(conversation), messageId: msg.messageId });
    const limited = await limit(msg, log);
    if (limited) return limited;
    return turn(msg, conversation, log, claimed);
  }

  async function turn(msg: InboundMessage, conversation: string, log: Logger, claimed: ClaimedTurnOptions = {}): Promise<GatewayResult> {
    const started = performance.now();
    // The turn's first reads, in one request when the state is remote: session, link, quiet flag.
    kv.prefetch?.([sessionKey(conversation), linkKey(msg.channel, msg.userId), quietKey(actorKeyOf(msg))]);
    const session: Session = await sessions.load(conversation);
    const actor = await options.resolveActor(msg);
    const outcome = await agent.respond(msg, session, actor);
    remember(session, msg, outcome);
    session.updatedAt = clock().getTime();
    await claimed.beforeSave?.();
    await sessions.save(conversation, session, claimed.alongside?.(outcome));
    if (metrics) {
      metrics.turns.inc({ channel: msg.channel, intent: outcome.intent ?? 'none' });
      metrics.turnSeconds.observe({ channel: msg.channel }, (performance.now() - started) / 1000);
      metrics.conversationSeen(conversation);
    }
    log.info(
      { flow: outcome.flow, intent: outcome.intent, role: actor.role, replies: outcome.replies.length, ms: Math.round(performance.now() - started) },
      'turn',
    );
    return { ...outcome, duplicate: false };
  }

  function remember(session: Session, msg: InboundMessage, outcome: TurnOutcome): void {
    const at = clock().getTime();
    session.history.push({ role: 'user', text: describeMessage(msg), at });
    for (const r of outcome.replies) session.history.push({ role: 'bot', text: r.text, at });
    const keep = options.historyTurns * 2;
    if (session.history.length > keep) session.history.splice(0, session.history.length - keep);
  }

  return { handle, runClaimed };
}
