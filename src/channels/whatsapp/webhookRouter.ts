import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import getRawBody from 'raw-body';
import type { RawHandler } from '../httpServer.ts';
import { safeEqual, verifySignature } from './verifySignature.ts';

/** Meta batches can be this large; a bigger body is answered 413 before any parsing. */
export const MAX_BODY = 3 * 1024 * 1024;

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

/** GET: the subscription handshake (express; the deliveries are `createWebhookPost`). */
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

  return router;
}

const answer = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
};

/**
 * POST: a delivery. The raw body (≤ 3 MB) is checked against X-Hub-Signature-256 before anything
 * reads it, handed over, and answered 200 once accepted; 401 bad signature, 413 too large, 400 a
 * body that did not arrive whole, 503 when it cannot be accepted now (Meta delivers again).
 * A plain node:http handler: it is the hot path, served without express's router and middleware.
 */
export function createWebhookPost(h: WebhookHandlers): RawHandler {
  return (req, res) =>
    void handlePost(h, req, res).catch((err: unknown) => {
      h.log.error({ err }, 'webhook request failed');
      if (!res.headersSent) answer(res, 500, 'internal error');
    });
}

async function handlePost(h: WebhookHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw: Buffer;
  try {
    raw = await getRawBody(req, { length: req.headers['content-length'] ?? null, limit: MAX_BODY });
  } catch (err) {
    const e = err as getRawBody.RawBodyError & { status?: number; type?: string };
    if (e.type === 'entity.too.large') {
      h.log.warn({ bytes: e.length, limit: e.limit }, 'webhook body over 3 MB refused (413)');
      // The rest of the body is not read: close the connection after answering.
      res.setHeader('connection', 'close');
      return answer(res, 413, 'payload too large');
    }
    h.log.warn({ err: e.message, type: e.type }, 'webhook body not received whole (400)');
    return answer(res, e.status && e.status >= 400 && e.status < 500 ? e.status : 400, 'bad request');
  }
  const header = req.headers['x-hub-signature-256'];
  const check = verifySignature(raw, typeof header === 'string' ? header : undefined, h.appSecret);
  if (!check.ok) {
    h.onRejected(check.reason);
    h.log.warn({ reason: check.reason, bytes: raw.length, legacySha1: req.headers['x-hub-signature'] !== undefined }, 'webhook rejected: bad X-Hub-Signature-256');
    return answer(res, 401, 'Unauthorized');
  }
  if (!h.accepting() || !(await h.stateReady())) {
    h.log.warn('webhook answered 503 (stopping, or the state store is unavailable): Meta will deliver again');
    return answer(res, 503, 'Service Unavailable');
  }
  try {
    await h.onDelivery(raw);
  } catch (err) {
    h.log.warn({ err }, 'webhook answered 503: the delivery could not be queued (Meta will deliver again)');
    return answer(res, 503, 'Service Unavailable');
  }
  answer(res, 200, 'OK');
}
