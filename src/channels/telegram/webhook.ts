import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { KeyValueStore } from '../../state/keyValue.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram's rule for secret_token. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{1,256}$/;
const UPDATE_SEEN_TTL = 24 * 3600_000;

export interface WebhookSettings {
  url: string;
  /** The route mounted on the messaging server: the path of `url`. */
  path: string;
  secret: string;
  /** True when the secret was derived from the token (TELEGRAM_WEBHOOK_SECRET unset). */
  derived: boolean;
}

/** A secret every instance derives alike from the token, so restarts and replicas agree. */
export const deriveWebhookSecret = (token: string): string =>
  createHmac('sha256', token).update('isp-gateway/telegram-webhook-secret/v1').digest('base64url');

export function webhookSettings(url: string, configuredSecret: string | undefined, token: string): WebhookSettings {
  if (configuredSecret !== undefined && !SECRET_FORMAT.test(configuredSecret)) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET: use 1–256 characters among A–Z, a–z, 0–9, "_" and "-" (Telegram\'s rule for secret_token).');
  }
  const path = new URL(url).pathname;
  return { url, path, secret: configuredSecret ?? deriveWebhookSecret(token), derived: configuredSecret === undefined };
}

/** Constant-time comparison (digests of equal length, whatever the header's length). */
export function secretMatches(header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header), digest(secret));
}

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface WebhookRouteOptions {
  settings: WebhookSettings;
  kv: KeyValueStore;
  logger: Logger;
  /**
   * Takes the update in (translated and handed to the inbound pipeline, ordered per chat by the
   * bot's middleware). Resolves once it is queued; rejects when it could not be.
   */
  process: (update: Update) => Promise<void>;
  /** After stop: answer 503 so Telegram redelivers to an instance that runs. */
  stopped: () => boolean;
}

/**
 * POST <path>: the secret header is checked before the body is read (401, nothing runs); the
 * body is validated; the update id is recorded in the KV (a redelivered update_id is answered 200
 * and dropped; a KV failure is a 503 so Telegram redelivers); then the update is taken in, and the
 * answer is 200 only once it is queued (durably with Redis). The turn runs afterwards, so a slow
 * turn (Sheets, Gemini) never meets Telegram's timeout. An update that could not be queued (Redis
 * down, shutting down) gets 503 and its id is released, so Telegram's redelivery runs it. (A copy
 * arriving while the first is still being queued is answered 200 at once. Telegram sends a copy
 * only after the first request failed or timed out, and queueing fails fast when Redis is away, so
 * a copy acknowledged for a first attempt that then fails is not a practical case.)
 */
export function mountWebhook(http: Express, options: WebhookRouteOptions): void {
  const { settings, kv, logger } = options;
  const checkSecret: RequestHandler = (req, res, next) => {
    if (options.stopped()) {
      res.status(503).json({ ok: false, error: 'stopping' });
      return;
    }
    if (!secretMatches(req.header(SECRET_HEADER), settings.secret)) {
      logger.warn({ ip: req.ip }, 'telegram webhook: missing or wrong secret token');
      res.status(401).json({ ok: false, error: 'unauthorized' });
      return;
    }
    next();
  };
  const handle: RequestHandler = async (req, res) => {
    const parsed = updateSchema.safeParse(req.body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'telegram webhook: not an update');
      res.status(400).json({ ok: false, error: 'expected a Telegram Update with a numeric update_id' });
      return;
    }
    const update = parsed.data as unknown as Update;
    const seenKey = `telegram:update:${update.update_id}`;
    let first: boolean;
    try {
      first = await kv.setIfAbsent(seenKey, Date.now(), UPDATE_SEEN_TTL);
    } catch (err) {
      logger.error({ err, updateId: update.update_id }, 'telegram webhook: state store unavailable; asking Telegram to redeliver');
      res.status(503).json({ ok: false, error: 'state store unavailable' });
      return;
    }
    if (!first) {
      logger.info({ updateId: update.update_id }, 'telegram webhook: repeated update ignored');
      res.status(200).json({ ok: true });
      return;
    }
    try {
      await options.process(update);
    } catch {
      // `process` logged why (scrubbed of the token).
      logger.warn({ updateId: update.update_id }, 'telegram webhook: update not queued; answered 503 so Telegram redelivers it');
      await kv.delete(seenKey).catch(() => undefined);
      res.status(503).json({ ok: false, error: 'not queued' });
      return;
    }
    res.status(200).json({ ok: true });
  };
  const badBody: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    logger.warn({ type: err.type }, 'telegram webhook: unreadable body');
    res.status(err.status && err.status < 500 ? err.status : 400).json({ ok: false, error: 'unreadable body' });
  };
  // A RegExp, so a path with ':' or '*' (a token in the URL) is matched literally, not as an express pattern.
  const exactPath = new RegExp(`^${settings.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?$`);
  http.post(exactPath, checkSecret, express.json({ limit: '1mb' }), handle, badBody);
}
