/**
 * The per-conversation inbox on Redis that gives the durable queue its order: a list of accepted
 * messages per conversation, a lock held by the one worker draining it, and a sorted set of
 * everything pending (depth and age). Each step is one Lua script, so nothing interleaves.
 *
 * A message is removed from its inbox only after its turn ran and its replies went out; a worker
 * that dies keeps the message at the head, and whoever takes the lock next starts from it.
 */
import type { Redis } from 'ioredis';

// KEYS: seen, inbox, pending, lock. ARGV: payload, dedupe ttl ms, pending member, accepted-at ms.
// → 1 (first time) + 2 (the conversation is claimed: its holder will run this message too).
const ACCEPT = `
local claimed = redis.call('EXISTS', KEYS[4]) * 2
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[2], 'NX') then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
  return 1 + claimed
end
return claimed`;

// The head and what an earlier attempt stored for it (its turn's replies), read in the same step:
// ARGV[n] is the prefix of the stored results ('' = not kept here), + '<channel>:<messageId>'.
// → {head, stored or false}; just {head} when not read here (no prefix, or a payload cjson cannot
// decode, e.g. a lone surrogate escape: the caller then reads the stored replies itself).
const HEAD = `
local function head(inbox, resultPrefix)
  local h = redis.call('LINDEX', inbox, 0)
  if not h then return nil end
  if resultPrefix == '' then return {h} end
  local ok, m = pcall(cjson.decode, h)
  if not ok or type(m) ~= 'table' or type(m.channel) ~= 'string' or type(m.messageId) ~= 'string' then return {h} end
  return {h, redis.call('GET', resultPrefix .. m.channel .. ':' .. m.messageId)}
end`;

// KEYS: lock, inbox. ARGV: token, lock ttl ms, result prefix. → -1 busy, 0 empty (lock not kept), else {head, stored}.
const TAKE = `${HEAD}
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return -1 end
local h = head(KEYS[2], ARGV[3])
if not h then
  redis.call('DEL', KEYS[1])
  return 0
end
return h`;

// KEYS: lock, inbox, pending. ARGV: token, pending member, lock ttl ms, result prefix, handled message's result ('' none).
// → -1 the lock is no longer ours, 0 the inbox is empty (lock released), else {next head, stored}.
const NEXT = `${HEAD}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('LPOP', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
if ARGV[5] ~= '' then redis.call('DEL', ARGV[5]) end
local h = head(KEYS[2], ARGV[4])
if not h then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return h`;

// KEYS: pending. ARGV: accepted before (ms), at most this many conversations, lock key prefix.
// → the conversations with a message waiting since before then and no worker holding them. Looks at
// up to 5,000 messages, oldest first, 500 at a time: one stuck conversation with hundreds of old
// messages does not hide the others.
const UNATTENDED = `
local found, seen, limit = {}, {}, tonumber(ARGV[2])
for offset = 0, 4500, 500 do
  local page = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', offset, 500)
  for _, m in ipairs(page) do
    local c = string.match(m, '^([^\\n]*)')
    if not seen[c] then
      seen[c] = true
      if redis.call('EXISTS', ARGV[3] .. c) == 0 then
        table.insert(found, c)
        if #found >= limit then return found end
      end
    end
  end
  if #page < 500 then break end
end
return found`;

// KEYS: lock. ARGV: token, ttl ms (ttl 0 = release).
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

/**
 * The message at the head of the inbox, with what an earlier attempt stored for it (JSON), if
 * anything; `storedKnown` false = the script did not look (the caller reads it itself).
 */
export type Head = { kind: 'head'; payload: string; storedKnown: boolean; stored?: string };
export type Take = { kind: 'busy' } | { kind: 'empty' } | Head;
export interface Accepted {
  fresh: boolean;
  claimed: boolean;
}
export type Next = { kind: 'lost' } | { kind: 'empty' } | Head;

export interface ConversationInbox {
  /**
   * Records the message once per id (`fresh`) and queues it behind the conversation's others.
   * `claimed`: a worker held the conversation at that moment, so it runs this message too (a holder
   * lets go only in the step that finds the inbox empty, and a dead holder's job is retried).
   */
  accept(entries: readonly { conversation: string; id: string; payload: string; acceptedAt: number }[]): Promise<Accepted[]>;
  take(conversation: string, token: string): Promise<Take>;
  /**
   * Removes the head (handled) and its stored result (`resultKey`, the full Redis key) and returns
   * the next one, keeping the lock, or releases it.
   */
  next(conversation: string, token: string, id: string, resultKey?: string): Promise<Next>;
  renew(conversation: string, token: string): Promise<boolean>;
  /** How long the current claim on the conversation lasts without renewal (0 when none). */
  claimRemainingMs(conversation: string): Promise<number>;
  release(conversation: string, token: string): Promise<void>;
  stats(now: number): Promise<{ waiting: number; oldestAgeSeconds: number }>;
  /** Up to `limit` conversations with a message accepted before `before` (ms) that no worker holds. */
  unattended(before: number, limit: number): Promise<string[]>;
}

interface InboxRedis extends Redis {
  ispAccept(seen: string, inbox: string, pending: string, lock: string, payload: string, ttl: number, member: string, at: number): Promise<number>;
  ispTake(lock: string, inbox: string, token: string, ttl: number, resultPrefix: string): Promise<number | [string, string | null] | [string]>;
  ispNext(lock: string, inbox: string, pending: string, token: string, member: string, ttl: number, resultPrefix: string, handledResult: string): Promise<number | [string, string | null] | [string]>;
  ispRenew(lock: string, token: string, ttl: number): Promise<number>;
  ispUnattended(pending: string, before: number, limit: number, lockPrefix: string): Promise<string[]>;
}

export interface ConversationInboxOptions {
  /** Key prefix, e.g. `isp:q`. */
  prefix: string;
  /** How long a message id is remembered (providers redeliver for days). */
  dedupeTtlMs: number;
  /** How long a worker's claim on a conversation lasts without renewal (a dead worker's turn waits this long). */
  lockMs: number;
  /**
   * Where turns' stored replies live (full Redis key prefix, + `<channel>:<messageId>`): read with
   * the head in the same script, deleted with it. Absent: the caller keeps them itself.
   */
  resultPrefix?: string;
}

export function createConversationInbox(redis: Redis, options: ConversationInboxOptions): ConversationInbox {
  const r = redis as InboxRedis;
  if (!r.ispAccept) {
    redis.defineCommand('ispAccept', { numberOfKeys: 4, lua: ACCEPT });
    redis.defineCommand('ispTake', { numberOfKeys: 2, lua: TAKE });
    redis.defineCommand('ispNext', { numberOfKeys: 3, lua: NEXT });
    redis.defineCommand('ispRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('ispUnattended', { numberOfKeys: 1, lua: UNATTENDED });
  }
  const { prefix, lockMs } = options;
  const pendingKey = `${prefix}:pending`;
  const inboxKey = (c: string) => `${prefix}:inbox:${c}`;
  const lockKey = (c: string) => `${prefix}:lock:${c}`;
  const member = (c: string, id: string) => `${c}\n${id}`;
  const resultPrefix = options.resultPrefix ?? '';
  const headOf = (v: [string, string | null] | [string]): Head =>
    typeof v[1] === 'string' ? { kind: 'head', payload: v[0], storedKnown: true, stored: v[1] } : { kind: 'head', payload: v[0], storedKnown: v.length === 2 };

  return {
    async accept(entries) {
      const accepted = (code: unknown): Accepted => ({ fresh: (Number(code) & 1) === 1, claimed: (Number(code) & 2) === 2 });
      const send = (target: InboxRedis, e: (typeof entries)[number]) =>
        target.ispAccept(`${prefix}:seen:${e.conversation}:${e.id}`, inboxKey(e.conversation), pendingKey, lockKey(e.conversation), e.payload, options.dedupeTtlMs, member(e.conversation, e.id), e.acceptedAt);
      if (entries.length === 1) return [accepted(await send(r, entries[0]!))];
      const batch = r.pipeline();
      for (const e of entries) void send(batch as unknown as InboxRedis, e);
      const results = (await batch.exec()) ?? [];
      return results.map(([err, value]) => {
        if (err) throw err;
        return accepted(value);
      });
    },
    async take(conversation, token) {
      const v = await r.ispTake(lockKey(conversation), inboxKey(conversation), token, lockMs, resultPrefix);
      if (v === -1) return { kind: 'busy' };
      if (typeof v === 'number') return { kind: 'empty' };
      return headOf(v);
    },
    async next(conversation, token, id, resultKey = '') {
      const v = await r.ispNext(lockKey(conversation), inboxKey(conversation), pendingKey, token, member(conversation, id), lockMs, resultPrefix, resultKey);
      if (v === -1) return { kind: 'lost' };
      if (typeof v === 'number') return { kind: 'empty' };
      return headOf(v);
    },
    async renew(conversation, token) {
      return (await r.ispRenew(lockKey(conversation), token, lockMs)) === 1;
    },
    async claimRemainingMs(conversation) {
      return Math.max(0, await r.pttl(lockKey(conversation)));
    },
    async release(conversation, token) {
      await r.ispRenew(lockKey(conversation), token, 0);
    },
    unattended: (before, limit) => r.ispUnattended(pendingKey, before, limit, `${prefix}:lock:`),
    async stats(now) {
      const [waiting, oldest] = await Promise.all([r.zcard(pendingKey), r.zrange(pendingKey, '0', '0', 'WITHSCORES')]);
      const at = oldest[1] === undefined ? now : Number(oldest[1]);
      return { waiting, oldestAgeSeconds: Math.max(0, now - at) / 1000 };
    },
  };
}
