import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { safeEqual, verifySignature } from './verifySignature.ts';

/** Meta batches can be this large; a bigger body is answered 413 before any parsing. */
export const MAX_BODY = '3mb';

export interface WebhookHandlers {
  verifyToken: string;
  appSecret: string;
  log: Logger;
  /** False once the channel is stopping: answer 503 so Meta delivers again later. */
  accepting(): boolean;
  /** Resolves false when the shared state cannot record anything right now (answer 503, Meta retries). */
  stateReady(): Promise<boolean>;
  /** Accepts the verified raw bytes; the 200 goes out once it resolves, a 503 when it rejects. */
  onDelivery(raw: Buffer): Promise<void>;
  onRejected(reason: string): void;
}

/**
 * GET: the subscription handshake. POST: the raw body (≤ 3 MB) is checked against
 * X-Hub-Signature-256 before anything reads it, handed over, and answered 200 once accepted.
 */
export function createWebhookRouter(h: WebhookHandlers): Router {
  const router = express.Router();

  router.get('/', (req, res) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (mode === 'subscribe' && typeof token === 'string' && typeof challenge === 'string' && safeEqual(token, h.verifyToken)) {
      h.log.info('webhook verified by Meta');
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    h.log.warn({ mode: typeof mode === 'string' ? mode : undefined }, 'webhook verification refused (hub.mode or hub.verify_token)');
    res.sendStatus(403);
  });

  router.post('/', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySignature(raw, req.get('x-hub-signature-256'), h.appSecret);
    if (!check.ok) {
      h.onRejected(check.reason);
      h.log.warn({ reason: check.reason, bytes: raw.length, legacySha1: req.get('x-hub-signature') !== undefined }, 'webhook rejected: bad X-Hub-Signature-256');
      res.sendStatus(401);
      return;
    }
    if (!h.accepting() || !(await h.stateReady())) {
      h.log.warn('webhook answered 503 (stopping, or the state store is unavailable): Meta will deliver again');
      res.sendStatus(503);
      return;
    }
    try {
      await h.onDelivery(raw);
    } catch (err) {
      h.log.warn({ err }, 'webhook answered 503: the delivery could not be queued (Meta will deliver again)');
      res.sendStatus(503);
      return;
    }
    res.sendStatus(200);
  });

  router.use((err: Error & { status?: number; type?: string; length?: number; limit?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (err.type === 'entity.too.large') h.log.warn({ bytes: err.length, limit: err.limit }, 'webhook body over 3 MB refused (413)');
    else h.log[status >= 500 ? 'error' : 'warn']({ err }, 'webhook request failed');
    res.status(status).type('text/plain').send(status === 413 ? 'payload too large' : 'bad request');
  });

  return router;
}
