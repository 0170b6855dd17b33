import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../../src/state/keyValue.ts';
import { createRedisKeyValue } from '../../../src/state/redisKeyValue.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { startTestbed, texts, type Testbed, type TestbedOptions } from './testbed.ts';
import { capturingLogger, type LogLine } from '../../support/capturingLogger.ts';
import { redisRunPrefix } from '../../support/redis.ts';

/**
 * One poller per bot across instances (real Redis at REDIS_URL, default 127.0.0.1:6379): a lease
 * `telegram:poller:<bot id>` in the shared KV. The emulator answers a second concurrent getUpdates
 * with 409 like Telegram, so two pollers would show up as conflicts (and a dead runner).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `${redisRunPrefix('isp-test-tglease')}:`;
const ana: TgUser = { id: 901, first_name: 'Ana' };
/** Short lease times so takeovers happen in well under a second (defaults: 30 s / 10 s / 5 s). */
const tuning = { pollerLeaseTtlMs: 1500, pollerLeaseRenewMs: 300, pollerLeaseRetryMs: 100 };


let emu: TelegramEmulator | undefined;
const open: Testbed[] = [];
const kvs: KeyValueStore[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  for (const kv of kvs.splice(0)) await kv.close();
  await emu?.close();
  emu = undefined;
});
function redisKv(prefix: string): KeyValueStore {
  const kv = createRedisKeyValue(REDIS_URL, { keyPrefix: prefix });
  kvs.push(kv);
  return kv;
}

async function instance(prefix: string, extra: Partial<TestbedOptions> = {}): Promise<Testbed & { lines: LogLine[] }> {
  const { logger, lines } = capturingLogger();
  const t = await startTestbed({ emulator: emu, tuning, logger, ...extra, kv: extra.kv ?? createRedisKeyValue(REDIS_URL, { keyPrefix: prefix }) });
  open.push(t);
  return Object.assign(t, { lines });
}

const logged = (lines: LogLine[], pattern: RegExp): LogLine | undefined => lines.find((l) => pattern.test(l.msg));
const leaseKey = (e: TelegramEmulator): string => `telegram:poller:${e.state.bot.id}`;

describe('telegram long polling: one instance at a time (lease in Redis)', () => {
  it('of two instances only one polls; when it stops, the other takes over and answers', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    await emu.waitFor(() => logged(b.lines, /another instance is polling; standing by/), 'b standing by');
    expect(b.lines.filter((l) => /standing by/.test(l.msg))).toHaveLength(1);
    expect(logged(b.lines, /telegram channel started/)).toMatchObject({ mode: 'polling (standby)' });

    expect(texts(await a.user(ana).say('/start'))).toMatch(/Hola Ana/);
    expect(texts(await a.user(ana).say('/menu'))).not.toBe('');
    expect(b.turns).toHaveLength(0);

    await a.close();
    open.splice(open.indexOf(a), 1);
    expect(texts(await b.user(ana).say('/start'))).toMatch(/Hola Ana/);
    expect(a.turns).toHaveLength(2);
    expect(b.turns).toHaveLength(1);
    expect(logged(b.lines, /took the polling lease/)).toBeDefined();
    expect(emu.state.getUpdatesConflicts).toBe(0);
  });

  it('a standby never calls getUpdates before it holds the lease', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const other = redisKv(prefix);
    expect(await other.setIfAbsent(leaseKey(emu), 'another-host:1:token', 60_000)).toBe(true);
    const b = await instance(prefix);
    await emu.waitFor(() => logged(b.lines, /standing by/), 'b standing by');
    emu.openChat(ana);
    emu.sendText(ana, '/start');

    const freedAt = Date.now();
    expect(emu.callsOf('getUpdates')).toHaveLength(0);
    expect(await other.deleteIfEquals(leaseKey(emu), 'another-host:1:token')).toBe(true);
    await emu.waitFor(() => b.turns[0], 'the standby to take over and answer');
    expect(emu.callsOf('getUpdates').every((c) => c.at >= freedAt)).toBe(true);
    expect(await other.get(leaseKey(emu))).toMatch(/:\d+:/);
  });

  it('a crashed poller (lease never released) is replaced once its lease expires', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const crashedKv = createRedisKeyValue(REDIS_URL, { keyPrefix: prefix });
    const a = await instance(prefix, { kv: crashedKv });
    const b = await instance(prefix);
    await emu.waitFor(() => logged(b.lines, /standing by/), 'b standing by');
    const observer = redisKv(prefix);
    const aToken = await observer.get<string>(leaseKey(emu));
    expect(aToken).toBeDefined();

    // The crash: A loses its state store (no renewal, no release) and its polling ends.
    await crashedKv.close();
    await a.close();
    open.splice(open.indexOf(a), 1);
    expect(logged(a.lines, /could not release the polling lease/)).toBeDefined();
    expect(await observer.get(leaseKey(emu))).toBe(aToken);

    expect(texts(await b.user(ana).say('/start'))).toMatch(/Hola Ana/);
    expect(await observer.get(leaseKey(emu))).not.toBe(aToken);
    expect(emu.state.getUpdatesConflicts).toBe(0);
  });

  it('a poller whose renewal finds another token stops polling at once, then stands by', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const a = await instance(prefix);
    expect(texts(await a.user(ana).say('/start'))).toMatch(/Hola Ana/);
    const other = redisKv(prefix);
    await other.set(leaseKey(emu), 'another-host:2:token', 60_000);

    const warn = await emu.waitFor(() => logged(a.lines, /lost the polling lease/), 'the lost-lease warning');
    expect(warn.level).toBe(40);
    const standby = await emu.waitFor(() => logged(a.lines, /standing by/), 'a standing by');
    emu.sendText(ana, '/menu');
    const freedAt = Date.now();
    expect(a.turns).toHaveLength(1);
    await other.deleteIfEquals(leaseKey(emu), 'another-host:2:token');
    await emu.waitFor(() => a.turns[1], 'a to take the lease back and answer');
    // Nothing polled between standing by and the lease coming free.
    expect(emu.callsOf('getUpdates').filter((c) => c.at > standby.time && c.at < freedAt)).toHaveLength(0);
    expect(emu.state.getUpdatesConflicts).toBe(0);
  });

  it('webhook mode takes no lease', async () => {
    emu = await TelegramEmulator.start();
    const prefix = `${runPrefix}${randomUUID()}:`;
    const w = await instance(prefix, { mode: 'webhook' });
    expect(texts(await w.user(ana).say('/start'))).toMatch(/Hola Ana/);
    expect(await redisKv(prefix).get(leaseKey(emu))).toBeUndefined();
  });
});
