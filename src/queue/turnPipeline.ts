/**
 * The inbound pipeline between a channel's intake (webhook, poller) and the turn: the channel
 * submits translated messages and acknowledges the provider once `submit` resolves; workers run
 * the turns, one at a time per conversation and in order, and hand each reply back to the channel.
 * Two implementations: in this process (no Redis) and a durable BullMQ queue on Redis.
 */
import type { Logger } from 'pino';
import type { InboundMessage, Reply } from '../core/types.ts';

/** What a channel does around a queued turn; it knows its protocol and nothing of ISP rules. */
export interface TurnHandler {
  /** Runs before the turn, again if the turn is retried: must be idempotent (e.g. the 24-hour window). */
  prepare?(msg: InboundMessage): Promise<void>;
  /**
   * Sends one reply. False = stop sending this turn's remaining replies (the channel sent something
   * else instead, e.g. a template outside WhatsApp's window, or the provider refused for good).
   */
  send(msg: InboundMessage, reply: Reply, log: Logger, attempt?: SendAttempt): Promise<boolean>;
  /** After a message was handled (`duplicate` = it had been handled before). */
  afterTurn?(msg: InboundMessage, duplicate: boolean): void;
}

/** Given by the durable pipeline: a stable reference per reply, and whether an earlier attempt may have sent it. */
export interface SendAttempt {
  /** `<message id>#<reply index>`, the same on every attempt. */
  ref: string;
  /** An earlier worker stopped (crash, Redis outage) after the turn and before recording this reply as sent. */
  inDoubt: boolean;
}

export interface PipelineStats {
  /** Messages accepted and not yet fully handled. */
  waiting: number;
  /** Age of the oldest of them (0 when none). */
  oldestAgeSeconds: number;
}

export interface TurnPipeline {
  readonly kind: 'in-process' | 'redis';
  /** Registers the channel's handler; call before `start()`. */
  register(channel: string, handler: TurnHandler): void;
  /**
   * Accepts messages. Resolves once they are durably queued (Redis) or scheduled (in-process);
   * rejects when nothing could be recorded (Redis down, pipeline closed): answer the provider 5xx.
   * A message id seen before is accepted and not run again.
   */
  submit(messages: readonly InboundMessage[]): Promise<void>;
  /** Starts running turns (after every channel registered its handler). */
  start(): Promise<void>;
  /** Resolves when this instance has nothing accepted or running left (tests, benchmarks). */
  idle(): Promise<void>;
  /** Refuses new messages and lets running turns finish; queued work stays for other instances. */
  close(): Promise<void>;
  stats(): Promise<PipelineStats>;
}

export const conversationOf = (msg: InboundMessage): string => `${msg.channel}:${msg.chatId}`;

export class PipelineClosedError extends Error {
  override readonly name = 'PipelineClosedError';
  constructor() {
    super('the inbound pipeline is closed (shutting down)');
  }
}
