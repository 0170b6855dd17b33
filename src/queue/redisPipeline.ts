/**
 * The durable pipeline on Redis, for one or several instances. Accepting a message = record its id
 * (dedupe) and append it to its conversation's inbox in one script, then add a BullMQ job (id =
 * the message) that wakes a worker for that conversation. A worker in any instance takes the
 * conversation's lock and drains its inbox in order: per message, the turn runs and its replies
 * are stored atomically with the session; the replies are sent, progress recorded after each; only
 * then does the message leave the inbox. A worker killed at any point leaves the message at the
 * head: BullMQ hands the stalled job to another worker, which finds the stored replies (no second
 * turn) and sends what was not yet sent. A job that finds the conversation busy looks again when
 * the holder's claim would expire: a live holder has run its message by then (it releases only in
 * the same script that finds the inbox empty); a dead one's claim is gone.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DeadlineError, withDeadline } from '../core/deadline.ts';
import { maskDigitRuns } from '../core/phone.ts';
import type { InboundMessage, Reply } from '../core/types.ts';
import type { Gateway } from '../gateway.ts';
import type { KeyValueStore } from '../state/keyValue.ts';
import { createConversationInbox, type Next, type Take } from './conversationInbox.ts';
import { conversationOf, PipelineClosedError, type TurnHandler, type TurnPipeline } from './turnPipeline.ts';
import { lazyChild } from '../logger.ts';

export interface RedisPipelineOptions {
  redisUrl: string;
  gateway: Gateway;
  /** The state store (Redis): where a turn's replies are kept until sent. */
  kv: KeyValueStore;
  log: Logger;
  /** Sent when a turn fails for a reason other than Redis (the store, a bug). */
  errorReply: Reply;
  /** Key prefix for the inbox and BullMQ; default `isp`. */
  prefix?: string;
  /** Turns run at once by this instance (different conversations); default 64. */
  concurrency?: number;
  /** How long a dead worker's conversation stays claimed before another instance takes over; default 15 s. */
  lockMs?: number;
  /** How long message ids are remembered; default 7 days. */
  dedupeTtlMs?: number;
  /** A turn (with its replies) still running after this long is abandoned and retried; default max(60 s, 4 × lockMs). */
  turnTimeoutMs?: number;
  /**
   * How often each instance looks for conversations with a message waiting longer than
   * `unattendedAfterMs` and no worker (a wake-up job removed, or lost with Redis's last second):
   * each gets a new job. Defaults 30 s and max(2 min, 2 × turnTimeoutMs).
   */
  sweepEveryMs?: number;
  unattendedAfterMs?: number;
  now?: () => number;
}

const QUEUE_NAME = 'inbound';
const RESULT_TTL = 24 * 3600_000;
const RESULT_PREFIX = 'turnresult:';
const STRIKES_PREFIX = 'turnstrikes:';
/** Timeouts of one message's turn before the person gets the error reply instead. */
const TIMEOUT_STRIKES = 3;
const SEVEN_DAYS = 7 * 24 * 3600_000;

const queuedSchema = z.object({
  channel: z.string(),
  chatId: z.string(),
  userId: z.string(),
  messageId: z.string(),
  receivedAt: z.number(),
}).loose();

interface StoredResult {
  replies: Reply[];
  sent: number;
}

class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

/** A wake-up job's options: retried for hours (capped backoff), kept a week when it finally fails. */
const WAKE_UP = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 1_000, backoff: { type: 'capped' } } as const;

/** BullMQ job ids cannot contain ':'; message ids are otherwise kept readable. */
const jobIdOf = (msg: InboundMessage): string => `${msg.channel}.${msg.messageId}`.replaceAll(':', '_');

export function createRedisPipeline(options: RedisPipelineOptions): TurnPipeline {
  const { gateway, kv, log } = options;
  const prefix = options.prefix ?? 'isp';
  const lockMs = options.lockMs ?? 15_000;
  const turnTimeoutMs = options.turnTimeoutMs ?? Math.max(60_000, lockMs * 4);
  const now = options.now ?? Date.now;
  const handlers = new Map<string, TurnHandler>();
  // Commands fail within a reconnect attempt while Redis is down (the webhook answers 5xx); the worker's connection waits.
  // No automatic resend after a reconnect: a script that ran but whose answer was lost (NEXT pops
  // the head) must not run twice; the caller sees the error and the job is retried instead.
  const commands = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false });
  commands.on('error', () => undefined);
  // With the state in Redis, a turn's stored replies are read with its message and deleted with it
  // (one script each); with another store the pipeline reads and deletes them itself.
  const storedInRedis = kv.redisKey !== undefined;
  const inbox = createConversationInbox(commands, {
    prefix: `${prefix}:q`,
    dedupeTtlMs: options.dedupeTtlMs ?? SEVEN_DAYS,
    lockMs,
    ...(kv.redisKey ? { resultPrefix: kv.redisKey(RESULT_PREFIX) } : {}),
  });
  const queue = new Queue(QUEUE_NAME, { connection: commands, prefix: `${prefix}:bull` });
  queue.on('error', () => undefined);
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const unattendedAfterMs = options.unattendedAfterMs ?? Math.max(120_000, 2 * turnTimeoutMs);
  async function sweep(): Promise<void> {
    const conversations = await inbox.unattended(now() - unattendedAfterMs, 200);
    if (conversations.length === 0) return;
    // At most one sweep job per conversation at a time, whichever instance adds it (adding an id
    // that exists does nothing): a conversation that keeps failing does not collect jobs.
    await queue.addBulk(
      conversations.map((c) => ({ name: 'turn', data: { conversation: c }, opts: { jobId: `sweep.${c}`.replaceAll(':', '_'), ...WAKE_UP, removeOnFail: true } })),
    );
    log.warn({ conversations: conversations.length }, 'messages waited with no worker: their conversations were handed to new jobs');
  }
  let closed = false;
  const active = new Set<Promise<unknown>>();
  const resultKey = (msg: InboundMessage) => `${RESULT_PREFIX}${msg.channel}:${msg.messageId}`;

  async function submit(messages: readonly InboundMessage[]): Promise<void> {
    if (closed) throw new PipelineClosedError();
    if (messages.length === 0) return;
    const at = now();
    const accepted = await inbox.accept(messages.map((m) => ({ conversation: conversationOf(m), id: m.messageId, payload: JSON.stringify(m), acceptedAt: at })));
    // A wake-up job per message, unless a worker held the conversation when a new message went in:
    // that worker runs it (or, dead, its job is retried and does), so a burst from one person costs
    // one job. A message seen before always gets its job: an earlier attempt may have recorded it
    // and died before this step (the provider delivers again because it got no 200).
    const waking = messages.filter((_, i) => !accepted[i]!.claimed || !accepted[i]!.fresh);
    if (waking.length === 0) return;
    await queue.addBulk(waking.map((m) => ({ name: 'turn', data: { conversation: conversationOf(m) }, opts: { jobId: jobIdOf(m), ...WAKE_UP } })));
  }

  async function process(job: Job<{ conversation: string }>, token?: string): Promise<void> {
    const conversation = job.data.conversation;
    const lock = randomUUID();
    // When Redis last confirmed the claim (taken, renewed, moved on), measured before asking: the
    // claim is ours for lockMs from then, so a check within a third of it needs no round trip.
    let confirmedAt = performance.now();
    // Set once this worker gives the conversation up (timeout, error): from then on it is never the owner.
    let abandoned = false;
    const confirmed = (askedAt: number, ok: boolean): boolean => {
      if (ok) confirmedAt = Math.max(confirmedAt, askedAt);
      else confirmedAt = -Infinity;
      return ok;
    };
    let step: Take | Next = await inbox.take(conversation, lock);
    // Busy: a live holder runs this message too (it was appended before this job was added, and the
    // holder lets go only in the same script that finds the inbox empty). But the holder may be dead
    // (its stalled job may be this very one), so look again once its claim would have expired.
    if (step.kind === 'busy') {
      const remaining = await inbox.claimRemainingMs(conversation);
      await job.moveToDelayed(now() + Math.max(20, remaining) + Math.random() * 50, token);
      throw new DelayedError();
    }
    const renewNow = async (): Promise<boolean> => {
      const askedAt = performance.now();
      return confirmed(askedAt, await inbox.renew(conversation, lock));
    };
    const renew = setInterval(() => void renewNow().catch(() => undefined), Math.max(50, lockMs / 3));
    // Checked before saving and before every send: after a long Redis outage the claim may have
    // expired and another worker taken the conversation over; then this one must not save or send.
    // Abandoned is checked again after a renewal: the turn may have timed out while it waited.
    const stillOwner = async (): Promise<boolean> => !abandoned && (performance.now() - confirmedAt < lockMs / 3 || (await renewNow())) && !abandoned;
    try {
      while (step.kind === 'head') {
        const msg = queuedSchema.parse(JSON.parse(step.payload)) as InboundMessage;
        const stage = { at: 'start' };
        const stored = storedInRedis && step.storedKnown ? (step.stored === undefined ? null : (JSON.parse(step.stored) as StoredResult)) : undefined;
        const done = await withDeadline(runOne(msg, stored, stillOwner, stage), turnTimeoutMs, 'turn timed out').catch((err: unknown) => {
          if (err instanceof DeadlineError) return 'timeout' as const;
          throw err;
        });
        if (done === 'timeout') {
          // Stop holding the conversation (the renewal ends below); a late finish cannot save or send (stillOwner).
          abandoned = true;
          log.error({ conversation: maskDigitRuns(conversation), messageId: msg.messageId, stage: stage.at, timeoutMs: turnTimeoutMs }, 'turn did not finish in time: the conversation is handed to another attempt');
          // Bounded: with Redis away the attempt must still let go of the conversation promptly.
          await withDeadline(strike(msg), 2_000, 'strike').catch(() => undefined);
          throw new Error(`turn timed out at ${stage.at}`);
        }
        if (!done) throw new ClaimLostError('conversation claim lost before sending (Redis was away longer than the lock); retried later');
        const askedAt = performance.now();
        // Only the owner that removes the message forgets its replies (in the same script when they
        // are in Redis): after 'lost' the message is still at the head and whoever holds the
        // conversation now resumes from those replies.
        step = await inbox.next(conversation, lock, msg.messageId, kv.redisKey?.(resultKey(msg)));
        if (step.kind === 'head') confirmed(askedAt, true);
        if (!storedInRedis && step.kind !== 'lost') void kv.delete(resultKey(msg)).catch(() => undefined);
      }
      if (step.kind === 'lost') throw new ClaimLostError('conversation claim lost mid-drain (a turn took longer than the lock); retried later');
    } catch (err) {
      // Redis went away mid-turn, the claim was lost or the turn timed out: a turn still running
      // here may not save or send any more; free the conversation if it is still ours. BullMQ
      // retries the job, which then drains the inbox or finds its new holder.
      abandoned = true;
      await inbox.release(conversation, lock).catch(() => undefined);
      // Messages accepted while this job held the conversation have no job of their own: when this
      // was its last attempt, a new job takes over the inbox (with its own attempts).
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await queue.add('turn', { conversation }, { jobId: `wake.${randomUUID()}`, ...WAKE_UP }).catch((e: unknown) => log.error({ err: e, conversation: maskDigitRuns(conversation) }, 'could not hand the conversation to a new job; the next sweep or message will'));
      }
      if (err instanceof ClaimLostError) log.warn({ conversation: maskDigitRuns(conversation) }, err.message);
      throw err;
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * A message whose turn keeps timing out would hold its conversation for ever. At its third timeout
   * the error reply is stored as its result (unless a real one was saved): the next attempt sends it
   * as it would any stored reply, and the conversation moves on.
   */
  async function strike(msg: InboundMessage): Promise<void> {
    const strikes = await kv.increment(`${STRIKES_PREFIX}${msg.channel}:${msg.messageId}`, RESULT_TTL);
    if (strikes < TIMEOUT_STRIKES) return;
    if (await kv.setIfAbsent(resultKey(msg), { replies: [options.errorReply], sent: 0 } satisfies StoredResult, RESULT_TTL)) {
      log.error({ messageId: msg.messageId, timeouts: strikes }, 'a turn timed out again and again: the person gets the error reply and the conversation moves on');
    }
  }

  /**
   * Runs (or resumes) one message's turn and sends its replies; false = the claim was lost, nothing
   * more sent. `given`: what the inbox read with the message (null = nothing stored), undefined = read it here.
   */
  async function runOne(msg: InboundMessage, given: StoredResult | null | undefined, stillOwner: () => Promise<boolean>, stage: { at: string }): Promise<boolean> {
    const handler = handlers.get(msg.channel);
    if (!handler) throw new Error(`no turn handler registered for channel "${msg.channel}"`);
    const turnLog = lazyChild(log, { channel: msg.channel, messageId: msg.messageId });
    const key = resultKey(msg);
    stage.at = 'read stored replies';
    let stored = given === undefined ? await kv.get<StoredResult>(key) : (given ?? undefined);
    // Stored replies = an earlier attempt ran this turn and stopped before finishing its replies.
    const resumed = stored !== undefined;
    if (stored) turnLog.info({ sent: stored.sent, replies: stored.replies.length }, 'resuming a turn an earlier attempt ran: sending what it had not sent');
    else {
      stage.at = 'prepare';
      await handler.prepare?.(msg);
      stage.at = 'turn';
      stored = await turn(msg, key, turnLog, stillOwner);
      handler.afterTurn?.(msg, false);
    }
    for (let i = stored.sent; i < stored.replies.length; i++) {
      stage.at = `check claim before reply ${i}`;
      if (!(await stillOwner())) return false;
      stage.at = `send reply ${i}`;
      const more = await handler.send(msg, stored.replies[i]!, turnLog, { ref: `${msg.messageId}#${i}`, inDoubt: resumed && i === stored.sent });
      if (!more) break;
      stage.at = `record reply ${i} sent`;
      if (i + 1 < stored.replies.length) await kv.set(key, { replies: stored.replies, sent: i + 1 }, RESULT_TTL);
    }
    return true;
  }

  async function turn(msg: InboundMessage, key: string, turnLog: Logger, stillOwner: () => Promise<boolean>): Promise<StoredResult> {
    try {
      const outcome = await gateway.runClaimed(msg, {
        alongside: (o) => [{ key, value: { replies: o.replies, sent: 0 } satisfies StoredResult, ttlMs: RESULT_TTL }],
        // A turn stalled past its claim (Redis away longer than the lock) must not save over the
        // worker that took the conversation over.
        beforeSave: async () => {
          if (!(await stillOwner())) throw new ClaimLostError('conversation claim lost during the turn (Redis was away longer than the lock); not saved, retried later');
        },
      });
      return { replies: outcome.replies, sent: 0 };
    } catch (err) {
      // Redis unreachable, the claim lost, or this instance shutting down (its stores may already be
      // closed under a turn still running past the grace period): nothing was saved; the job is
      // retried, here or by another instance. Anything else: tell the user.
      if (err instanceof ClaimLostError || closed || !(await redisAnswers())) throw err;
      turnLog.error({ err }, 'turn failed');
      return { replies: [options.errorReply], sent: 0 };
    }
  }

  const redisAnswers = (): Promise<boolean> => commands.ping().then(() => true, () => false);

  return {
    kind: 'redis',
    register: (channel, handler) => void handlers.set(channel, handler),
    submit,
    async start() {
      if (worker) return;
      workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
      workerConnection.on('error', () => undefined);
      worker = new Worker(
        QUEUE_NAME,
        (job, token) => {
          const work = process(job as Job<{ conversation: string }>, token);
          active.add(work);
          return work.finally(() => active.delete(work));
        },
        {
          connection: workerConnection,
          prefix: `${prefix}:bull`,
          concurrency: options.concurrency ?? 64,
          lockDuration: lockMs,
          stalledInterval: Math.max(1_000, lockMs / 2),
          maxStalledCount: 1_000,
          settings: { backoffStrategy: (attempts: number) => Math.min(30_000, 250 * 2 ** Math.min(attempts, 10)) },
        },
      );
      worker.on('error', (err) => log.warn({ err: err.message }, 'inbound queue worker: Redis error (it reconnects)'));
      worker.on('failed', (job, err) => log.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'inbound turn will be retried'));
      sweeper = setInterval(() => void sweep().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'inbound queue sweep failed (tried again later)')), options.sweepEveryMs ?? 30_000);
      sweeper.unref();
    },
    async idle() {
      for (;;) {
        const stats = await inbox.stats(now());
        if (stats.waiting === 0 && active.size === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      closed = true;
      clearInterval(sweeper);
      await worker?.close();
      await workerConnection?.quit().catch(() => workerConnection?.disconnect());
      await queue.close().catch(() => undefined);
      await commands.quit().catch(() => commands.disconnect());
    },
    stats: () => inbox.stats(now()),
  };
}
