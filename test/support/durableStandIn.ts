/**
 * Stand-ins for tests of the durable Redis pipeline with real Redis: a turn that answers
 * `re <text>` and saves it with the pipeline's stored result (as the real gateway does), a pipeline
 * around a gateway that records what it sends, WhatsApp text messages, and waits.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { InboundMessage } from '../../src/core/types.ts';
import type { Gateway } from '../../src/gateway.ts';
import { createRedisPipeline, type RedisPipelineOptions } from '../../src/queue/redisPipeline.ts';
import type { KeyValueStore } from '../../src/state/keyValue.ts';
import { TEST_REDIS_URL } from './redis.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 20 ms until it holds or `timeoutMs` passes (the assertions that follow say what failed). */
export async function until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done() && Date.now() < deadline; ) await sleep(20);
}

/** A promise and the function that settles it. */
export function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

/** Never settles: a turn that hangs until the pipeline's time limit. */
export const forever = (): Promise<never> => new Promise(() => undefined);

/** A gateway whose turn answers `re <text>`, after `before` (a wait, a hang) when given. */
export function answeringGateway(kv: KeyValueStore, before?: (msg: InboundMessage) => Promise<unknown> | void): Gateway {
  return {
    handle: () => Promise.reject(new Error('not used by the durable queue')),
    async runClaimed(msg, claimed) {
      await before?.(msg);
      const outcome = { replies: [{ text: `re ${msg.text}` }] };
      await claimed?.beforeSave?.();
      await kv.setMany(claimed?.alongside?.(outcome) ?? []);
      return outcome;
    },
  };
}

/** The real pipeline on the test Redis (silent, error reply `error`), with what its WhatsApp handler sent. */
export function recordingPipeline(options: Omit<RedisPipelineOptions, 'redisUrl' | 'log' | 'errorReply'>) {
  const pipeline = createRedisPipeline({ redisUrl: TEST_REDIS_URL, log: pino({ level: 'silent' }), errorReply: { text: 'error' }, ...options });
  const sent: string[] = [];
  pipeline.register('whatsapp', { send: async (_msg, reply) => (sent.push(reply.text), true) });
  return { pipeline, sent };
}

/** A WhatsApp text from `chatId`, with a fresh message id. */
export const textFrom = (chatId: string, text: string): InboundMessage => ({ channel: 'whatsapp', chatId, userId: chatId, messageId: `wamid.${randomUUID()}`, receivedAt: Date.now(), text });
