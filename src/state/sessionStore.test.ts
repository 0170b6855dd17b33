import { describe, expect, it } from 'vitest';
import { emptySession, type Session } from '../core/types.ts';
import { createMemoryKeyValue } from './memoryKeyValue.ts';
import { createSessionStore } from './sessionStore.ts';

function setup(ttlMs = 30 * 60_000) {
  let now = 1_700_000_000_000;
  const kv = createMemoryKeyValue(() => now);
  return { kv, sessions: createSessionStore(kv, ttlMs, () => now), advance: (ms: number) => void (now += ms), now: () => now };
}

const session = (over: Partial<Session> = {}): Session => ({
  flow: 'falla',
  step: 'categoria',
  slots: { zona: 'Centro' },
  attempts: 1,
  history: [{ role: 'user', text: 'no tengo internet', at: 1 }],
  updatedAt: 1,
  ...over,
});

describe('session store', () => {
  it('returns an empty session stamped now when there is none', async () => {
    const { sessions, now } = setup();
    expect(await sessions.load('telegram:1')).toEqual(emptySession(now()));
  });

  it('saves and loads a session per key', async () => {
    const { sessions } = setup();
    await sessions.save('telegram:1', session());
    await sessions.save('whatsapp:2', session({ flow: 'pago' }));
    expect(await sessions.load('telegram:1')).toEqual(session());
    expect((await sessions.load('whatsapp:2')).flow).toBe('pago');
  });

  it('forgets a session idle for longer than the TTL; each save restarts it', async () => {
    const { sessions, advance, now } = setup(1000);
    await sessions.save('k', session());
    advance(900);
    await sessions.save('k', session({ attempts: 2 }));
    advance(900);
    expect((await sessions.load('k')).attempts).toBe(2);
    advance(101);
    expect(await sessions.load('k')).toEqual(emptySession(now()));
  });

  it('reset forgets the session', async () => {
    const { sessions, now } = setup();
    await sessions.save('k', session());
    await sessions.reset('k');
    expect(await sessions.load('k')).toEqual(emptySession(now()));
  });

  it('treats an unreadable stored value as no session', async () => {
    const { kv, sessions, now } = setup();
    await kv.set('session:k', { flow: 'x' });
    expect(await sessions.load('k')).toEqual(emptySession(now()));
  });
});
