/**
 * The pipeline without Redis: a FIFO per conversation in this process. Dedupe, rate limit and the
 * turn are the gateway's `handle`; an accepted message is lost if the process dies before its turn
 * (the provider had its 200), which is why several instances need the Redis pipeline.
 */
import type { Logger } from 'pino';
import { createKeyedQueue } from '../core/keyedQueue.ts';
import { createTaskTracker } from '../core/taskTracker.ts';
import type { InboundMessage } from '../core/types.ts';
import type { Gateway } from '../gateway.ts';
import { conversationOf, PipelineClosedError, type TurnHandler, type TurnPipeline } from './turnPipeline.ts';
import { lazyChild } from '../logger.ts';

export interface InProcessPipelineOptions {
  gateway: Gateway;
  log: Logger;
  now?: () => number;
}

export function createInProcessPipeline(options: InProcessPipelineOptions): TurnPipeline {
  const { gateway, log } = options;
  const now = options.now ?? Date.now;
  const handlers = new Map<string, TurnHandler>();
  const queue = createKeyedQueue();
  const tasks = createTaskTracker();
  // Accepted and not finished, in acceptance order (the first entry is the oldest).
  const pending = new Map<object, number>();
  let closed = false;

  async function run(msg: InboundMessage): Promise<void> {
    const handler = handlers.get(msg.channel);
    if (!handler) throw new Error(`no turn handler registered for channel "${msg.channel}"`);
    const turnLog = lazyChild(log, { channel: msg.channel, messageId: msg.messageId });
    try {
      await handler.prepare?.(msg);
      const result = await gateway.handle(msg);
      handler.afterTurn?.(msg, result.duplicate);
      for (const reply of result.replies) if (!(await handler.send(msg, reply, turnLog))) break;
    } catch (err) {
      // gateway.handle rejects only when the state store could not even record the message id.
      turnLog.error({ err }, 'message not processed: the state store failed; it is lost unless the provider delivers it again');
    }
  }

  return {
    kind: 'in-process',
    register: (channel, handler) => void handlers.set(channel, handler),
    async submit(messages) {
      if (closed) throw new PipelineClosedError();
      for (const msg of messages) {
        const token = {};
        pending.set(token, now());
        // setImmediate: the provider gets its acknowledgement before the turn's CPU work starts.
        const scheduled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => queue.run(conversationOf(msg), () => run(msg)));
        tasks.track(scheduled.finally(() => pending.delete(token)));
      }
    },
    start: async () => undefined,
    idle: () => tasks.idle(),
    async close() {
      closed = true;
      await tasks.idle();
    },
    async stats() {
      const oldest = pending.values().next();
      return { waiting: pending.size, oldestAgeSeconds: oldest.done ? 0 : Math.max(0, now() - oldest.value) / 1000 };
    },
  };
}
