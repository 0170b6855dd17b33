import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/agent/agent.ts';
import type { InboundMessage } from '../../src/core/types.ts';
import { createGateway } from '../../src/gateway.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { createSessionStore } from '../../src/state/sessionStore.ts';

const msg = (messageId: string, text: string, chatId = 'c1'): InboundMessage => ({
  channel: 'whatsapp',
  chatId,
  userId: chatId,
  messageId,
  text,
  receivedAt: 0,
});

function setup(agent: Agent) {
  const kv = createMemoryKeyValue();
  const gateway = createGateway({
    kv,
    sessions: createSessionStore(kv, 60_000),
    agent,
    resolveActor: async (m) => ({ role: 'prospect', key: `${m.channel}:${m.userId}` }),
    logger: pino({ level: 'silent' }),
    clock: () => new Date(),
    historyTurns: 2,
    errorReply: { text: 'perdón' },
  });
  return { kv, gateway };
}

describe('gateway', () => {
  it('answers a redelivered message id once', async () => {
    let turns = 0;
    const { gateway } = setup({ respond: async () => ({ replies: [{ text: `turno ${++turns}` }] }) });
    const first = await gateway.handle(msg('m1', 'hola'));
    const again = await gateway.handle(msg('m1', 'hola'));
    expect(first.replies).toEqual([{ text: 'turno 1' }]);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect(turns).toBe(1);
  });

  it('runs one turn at a time per conversation, in arrival order', async () => {
    const seen: string[] = [];
    const { gateway } = setup({
      respond: async (m, session) => {
        const count = ((session.slots.count as number | undefined) ?? 0) + 1;
        session.slots.count = count;
        session.flow = 'x';
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${m.text}:${count}`);
        return { replies: [{ text: String(count) }] };
      },
    });
    await Promise.all(['a', 'b', 'c', 'd'].map((t, i) => gateway.handle(msg(`m${i}`, t))));
    expect(seen).toEqual(['a:1', 'b:2', 'c:3', 'd:4']);
  });

  it('keeps only the last N turns of history', async () => {
    const { gateway } = setup({ respond: async (_m, s) => ({ replies: [{ text: `eco ${s.history.length}` }] }) });
    for (let i = 0; i < 5; i++) await gateway.handle(msg(`h${i}`, `mensaje ${i}`));
    const last = await gateway.handle(msg('h9', 'último'));
    expect(last.replies[0]?.text).toBe('eco 4');
  });

  it('releases the message id when the state store fails mid-turn, so a redelivery runs it', async () => {
    const { gateway, kv } = setup({ respond: async () => ({ replies: [{ text: 'ok' }] }) });
    const realGet = kv.get.bind(kv);
    let failLoads = 1;
    kv.get = (async (key: string) => {
      if (key.startsWith('session:') && failLoads-- > 0) throw new Error('connection reset');
      return realGet(key);
    }) as typeof kv.get;
    expect((await gateway.handle(msg('r1', 'hola'))).replies).toEqual([{ text: 'perdón' }]);
    expect((await gateway.handle(msg('r1', 'hola'))).replies).toEqual([{ text: 'ok' }]);
  });

  it('apologises without a stack trace when a turn fails, and lets a redelivery run again', async () => {
    let fail = true;
    const { gateway } = setup({
      respond: async () => {
        if (fail) throw new Error('sheet exploded at row 12');
        return { replies: [{ text: 'ok' }] };
      },
    });
    const failed = await gateway.handle(msg('m1', 'hola'));
    expect(failed.replies).toEqual([{ text: 'perdón' }]);
    fail = false;
    const retried = await gateway.handle(msg('m1', 'hola'));
    expect(retried).toMatchObject({ duplicate: false, replies: [{ text: 'ok' }] });
  });
});
