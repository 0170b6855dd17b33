import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createConversationInbox } from '../../src/queue/conversationInbox.ts';
import { redisRunPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const redis = new Redis(TEST_REDIS_URL);
const ns = redisRunPrefix('test:inbox');
afterAll(() => redis.disconnect());

const message = (conversation: string, id: string) => ({ conversation, id, acceptedAt: 1, payload: JSON.stringify({ channel: 'whatsapp', chatId: conversation, userId: conversation, messageId: id, receivedAt: 1 }) });

describe('conversation inbox on Redis (the durable queue’s order and claims)', () => {
  const results = `${ns}:turnresult:`;
  const inbox = createConversationInbox(redis, { prefix: `${ns}:q`, dedupeTtlMs: 60_000, lockMs: 5_000, resultPrefix: results });

  it('hands out the head with the replies an earlier attempt stored for it, and forgets them with the message', async () => {
    expect(await inbox.accept([message('c1', 'm1'), message('c1', 'm2'), message('c1', 'm1')])).toEqual([
      { fresh: true, claimed: false },
      { fresh: true, claimed: false },
      { fresh: false, claimed: false },
    ]);
    await redis.set(`${results}whatsapp:m1`, JSON.stringify({ replies: [{ text: 'hola' }], sent: 0 }));

    const took = await inbox.take('c1', 'worker-a');
    expect(took).toMatchObject({ kind: 'head', storedKnown: true, stored: JSON.stringify({ replies: [{ text: 'hola' }], sent: 0 }) });
    expect(JSON.parse((took as { payload: string }).payload)).toMatchObject({ messageId: 'm1' });
    expect(await inbox.take('c1', 'worker-b'), 'one claim at a time').toEqual({ kind: 'busy' });

    const next = await inbox.next('c1', 'worker-a', 'm1', `${results}whatsapp:m1`);
    expect(next.kind).toBe('head');
    expect(next).not.toHaveProperty('stored');
    expect(JSON.parse((next as { payload: string }).payload)).toMatchObject({ messageId: 'm2' });
    expect(await redis.exists(`${results}whatsapp:m1`), 'the handled message’s replies are deleted with it').toBe(0);

    expect(await inbox.next('c1', 'worker-a', 'm2', `${results}whatsapp:m2`)).toEqual({ kind: 'empty' });
    expect(await inbox.take('c1', 'worker-b'), 'released once empty').toEqual({ kind: 'empty' });
  });

  it('says when the conversation was claimed as the message went in: its holder runs it before letting go', async () => {
    expect(await inbox.accept([message('c4', 'm1')])).toEqual([{ fresh: true, claimed: false }]);
    expect((await inbox.take('c4', 'worker-a')).kind).toBe('head');
    expect(await inbox.accept([message('c4', 'm2'), message('c4', 'm1')])).toEqual([
      { fresh: true, claimed: true },
      { fresh: false, claimed: true },
    ]);
    const next = await inbox.next('c4', 'worker-a', 'm1');
    expect(JSON.parse((next as { payload: string }).payload)).toMatchObject({ messageId: 'm2' });
    expect(await inbox.next('c4', 'worker-a', 'm2')).toEqual({ kind: 'empty' });
    expect(await inbox.accept([message('c4', 'm3')]), 'let go once empty').toEqual([{ fresh: true, claimed: false }]);
  });

  it('finds the conversations with a message waiting since before a time and no worker holding them', async () => {
    const own = createConversationInbox(redis, { prefix: `${ns}:sweep`, dedupeTtlMs: 60_000, lockMs: 5_000 });
    const at = (conversation: string, id: string, acceptedAt: number) => ({ ...message(conversation, id), acceptedAt });
    await own.accept([at('whatsapp:old', 'm1', 1_000), at('whatsapp:old', 'm2', 1_500), at('whatsapp:held', 'm1', 1_000), at('whatsapp:new', 'm1', 9_000)]);
    await own.take('whatsapp:held', 'worker-a');
    expect(await own.unattended(5_000, 100)).toEqual(['whatsapp:old']);
    await own.take('whatsapp:old', 'worker-b');
    expect(await own.unattended(5_000, 100)).toEqual([]);
  });

  it('one held conversation with hundreds of old messages does not hide an unattended one', async () => {
    const own = createConversationInbox(redis, { prefix: `${ns}:sweep2`, dedupeTtlMs: 60_000, lockMs: 5_000 });
    const backlog = Array.from({ length: 600 }, (_, i) => ({ ...message('whatsapp:busy', `b${i}`), acceptedAt: 1_000 + i }));
    await own.accept(backlog);
    await own.accept([{ ...message('whatsapp:stranded', 's1'), acceptedAt: 2_000 }]);
    await own.take('whatsapp:busy', 'worker-a');
    expect(await own.unattended(5_000, 100)).toEqual(['whatsapp:stranded']);
  });

  it('a worker that lost its claim removes nothing: the message and its replies stay for the new holder', async () => {
    await inbox.accept([message('c2', 'm1')]);
    await redis.set(`${results}whatsapp:m1b`, 'x');
    await inbox.take('c2', 'worker-a');
    await redis.set(`${ns}:q:lock:c2`, 'worker-b');
    expect(await inbox.next('c2', 'worker-a', 'm1', `${results}whatsapp:m1b`)).toEqual({ kind: 'lost' });
    expect(await redis.exists(`${results}whatsapp:m1b`)).toBe(1);
    expect(await redis.llen(`${ns}:q:inbox:c2`)).toBe(1);
  });

  it('a payload the script cannot decode (a lone surrogate) is still handed out: the caller reads its replies itself', async () => {
    const payload = JSON.stringify({ channel: 'whatsapp', chatId: 'c3', userId: 'c3', messageId: 'm1', receivedAt: 1, text: 'hola \ud83d' });
    expect(payload).toContain('\\ud83d');
    await inbox.accept([{ conversation: 'c3', id: 'm1', acceptedAt: 1, payload }]);
    const took = await inbox.take('c3', 'worker-a');
    expect(took).toEqual({ kind: 'head', payload, storedKnown: false });
    expect(await inbox.next('c3', 'worker-a', 'm1', `${results}whatsapp:m1`)).toEqual({ kind: 'empty' });
  });
});
