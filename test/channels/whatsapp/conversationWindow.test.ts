import { describe, expect, it } from 'vitest';
import { createConversationWindows, WINDOW_MS } from '../../../src/channels/whatsapp/conversationWindow.ts';
import { createMemoryKeyValue } from '../../../src/state/memoryKeyValue.ts';

const HOUR = 3600_000;

describe('conversation windows shared by instances', () => {
  it('an instance sees the window another one opened, and closes it on time', async () => {
    let clock = 1_000 * HOUR;
    const kv = createMemoryKeyValue(() => clock);
    const a = createConversationWindows(kv, () => clock);
    const b = createConversationWindows(kv, () => clock);
    expect(await b.isOpen('525512345678')).toBe(false);
    await a.touch('525512345678', clock);
    expect(await b.isOpen('525512345678')).toBe(true);
    clock += 23 * HOUR;
    expect(await a.isOpen('525512345678')).toBe(true);
    clock += HOUR;
    // Both the remembered time and the stored one say closed now (a minute of safety margin).
    expect(await a.isOpen('525512345678')).toBe(false);
    expect(await b.isOpen('525512345678')).toBe(false);
  });

  it('a newer message seen by one instance keeps the window open for an instance that remembers an older one', async () => {
    let clock = 1_000 * HOUR;
    const kv = createMemoryKeyValue(() => clock);
    const a = createConversationWindows(kv, () => clock);
    const b = createConversationWindows(kv, () => clock);
    await a.touch('u', clock);
    expect(await a.isOpen('u')).toBe(true);
    clock += 20 * HOUR;
    await b.touch('u', clock);
    clock += 10 * HOUR;
    // a remembers the first message (30 h ago): it asks the store, which has b's (10 h ago).
    expect(await a.isOpen('u')).toBe(true);
  });

  it('an older message arriving late never moves the window back', async () => {
    let clock = 1_000 * HOUR;
    const kv = createMemoryKeyValue(() => clock);
    const a = createConversationWindows(kv, () => clock);
    const b = createConversationWindows(kv, () => clock);
    await a.touch('u', clock);
    await b.touch('u', clock - 5 * HOUR);
    expect(await kv.get<number>('wa:window:u')).toBe(clock);
    clock += WINDOW_MS - 2 * 60_000;
    expect(await b.isOpen('u')).toBe(true);
  });

  it('a recent message written without comparing closes the window at most seconds early, never late', async () => {
    let clock = 1_000 * HOUR;
    const kv = createMemoryKeyValue(() => clock);
    const a = createConversationWindows(kv, () => clock);
    const b = createConversationWindows(kv, () => clock);
    const wrote = clock;
    await a.touch('u', wrote);
    await b.touch('u', wrote - 10_000); // delivered a moment late by Meta, through the other instance
    const stored = (await kv.get<number>('wa:window:u'))!;
    expect(wrote - stored).toBeLessThanOrEqual(20_000);
    clock = wrote + WINDOW_MS - 2 * 60_000;
    expect(await b.isOpen('u')).toBe(true);
    clock = wrote + WINDOW_MS;
    expect(await a.isOpen('u')).toBe(false);
    expect(await b.isOpen('u')).toBe(false);
  });
});
