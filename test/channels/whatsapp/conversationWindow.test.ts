import { describe, expect, it } from 'vitest';
import { createConversationWindows, WINDOW_MS } from '../../../src/channels/whatsapp/conversationWindow.ts';
import { createMemoryKeyValue } from '../../../src/state/memoryKeyValue.ts';

const HOUR = 3600_000;

/** Two instances' windows on one shared store, with a clock the test moves (`clock.now`). */
function twoInstances() {
  const clock = { now: 1_000 * HOUR };
  const kv = createMemoryKeyValue(() => clock.now);
  return { clock, kv, a: createConversationWindows(kv, () => clock.now), b: createConversationWindows(kv, () => clock.now) };
}

describe('conversation windows shared by instances', () => {
  it('an instance sees the window another one opened, and closes it on time', async () => {
    const { clock, a, b } = twoInstances();
    expect(await b.isOpen('525512345678')).toBe(false);
    await a.touch('525512345678', clock.now);
    expect(await b.isOpen('525512345678')).toBe(true);
    clock.now += 23 * HOUR;
    expect(await a.isOpen('525512345678')).toBe(true);
    clock.now += HOUR;
    // Both the remembered time and the stored one say closed now (a minute of safety margin).
    expect(await a.isOpen('525512345678')).toBe(false);
    expect(await b.isOpen('525512345678')).toBe(false);
  });

  it('a newer message seen by one instance keeps the window open for an instance that remembers an older one', async () => {
    const { clock, a, b } = twoInstances();
    await a.touch('u', clock.now);
    expect(await a.isOpen('u')).toBe(true);
    clock.now += 20 * HOUR;
    await b.touch('u', clock.now);
    clock.now += 10 * HOUR;
    // a remembers the first message (30 h ago): it asks the store, which has b's (10 h ago).
    expect(await a.isOpen('u')).toBe(true);
  });

  it('an older message arriving late never moves the window back', async () => {
    const { clock, kv, a, b } = twoInstances();
    await a.touch('u', clock.now);
    await b.touch('u', clock.now - 5 * HOUR);
    expect(await kv.get<number>('wa:window:u')).toBe(clock.now);
    clock.now += WINDOW_MS - 2 * 60_000;
    expect(await b.isOpen('u')).toBe(true);
  });

  it('a recent message written without comparing closes the window at most seconds early, never late', async () => {
    const { clock, kv, a, b } = twoInstances();
    const wrote = clock.now;
    await a.touch('u', wrote);
    await b.touch('u', wrote - 10_000); // delivered a moment late by Meta, through the other instance
    const stored = (await kv.get<number>('wa:window:u'))!;
    expect(wrote - stored).toBeLessThanOrEqual(20_000);
    clock.now = wrote + WINDOW_MS - 2 * 60_000;
    expect(await b.isOpen('u')).toBe(true);
    clock.now = wrote + WINDOW_MS;
    expect(await a.isOpen('u')).toBe(false);
    expect(await b.isOpen('u')).toBe(false);
  });
});
