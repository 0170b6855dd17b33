import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { outboundSchema, type Outbound } from './messageSchemas.ts';
import { delivery, status, statusesValue } from '../../channels/whatsapp/fixtures/metaPayloads.ts';
import { metaJson, postDelivery } from './metaWebhook.ts';

/**
 * A local stand-in for the Graph API's WhatsApp endpoints on 127.0.0.1, speaking Meta's wire
 * format: POST /{version}/{phone-number-id}/messages (validated against Meta's shapes and limits,
 * recorded) and GET /{version}/{phone-number-id}. It can answer the errors the adapter must handle
 * (130429, 131047, 131056, 5xx) and enforces the per-number throughput like the Cloud API does.
 */
export interface SentMessage {
  wamid: string;
  to: string;
  type: Outbound['type'];
  body: Outbound;
  at: number;
}

export interface RefusedRequest {
  status: number;
  code: number;
  reason: string;
  body: unknown;
}

export type InjectedError = 130429 | 131047 | 131056 | 131026 | 500 | 503;

export interface GraphEmulatorOptions {
  accessToken: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  /** Accepted sends per second per phone number before 130429 (sliding window); Meta's default is 80. */
  throughputPerSecond?: number;
  /** Approved templates and how many body variables each has. */
  templates?: Record<string, number>;
  /**
   * Like Meta: after accepting a message, POST its signed `sent` status (with the message's
   * biz_opaque_callback_data) to a webhook; not answered 200 → tried again (next URL) until it is.
   */
  statusWebhook?: { urls: () => string[]; appSecret: string };
}

export interface GraphEmulator {
  readonly url: string;
  readonly sent: SentMessage[];
  /** Requests answered with an error (validation, auth, injected). */
  readonly refused: RefusedRequest[];
  /** The next `times` sends (to `to`, or to anyone) are answered with `error`. */
  failNext(error: InjectedError, times?: number, to?: string): void;
  sentTo(to: string): SentMessage[];
  /** Resolves once `count` messages were accepted (in total, or to `to`); rejects after `timeoutMs`. */
  waitForSent(count: number, options?: { to?: string; timeoutMs?: number }): Promise<SentMessage[]>;
  close(): Promise<void>;
}

const ERRORS: Record<number, { status: number; code: number; message: string; details: string }> = {
  130429: { status: 400, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131047: { status: 400, code: 131047, message: '(#131047) Re-engagement message', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
  131056: { status: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit', details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.' },
  131026: { status: 400, code: 131026, message: '(#131026) Message Undeliverable', details: 'Unable to deliver message.' },
  500: { status: 500, code: 1, message: 'An unknown error has occurred.', details: '' },
  503: { status: 503, code: 2, message: 'Service temporarily unavailable', details: '' },
};

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const sent: SentMessage[] = [];
  const refused: RefusedRequest[] = [];
  const injected: { error: InjectedError; to?: string }[] = [];
  const events = new EventEmitter();
  const recent: number[] = [];
  const perSecond = options.throughputPerSecond ?? 80;

  const app = express();
  app.use(express.json({ limit: '1mb' }));

  const refuse = (res: express.Response, status: number, code: number, message: string, body: unknown, details = ''): void => {
    refused.push({ status, code, reason: details ? `${message}: ${details}` : message, body });
    res.status(status).json({
      error: { message, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: randomBytes(8).toString('base64url') },
    });
  };
  const authorized = (req: express.Request): boolean => req.get('authorization') === `Bearer ${options.accessToken}`;

  app.get('/:version/:id', (req, res) => {
    if (!authorized(req)) return refuse(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token', null);
    if (req.params.id !== options.phoneNumberId) return refuse(res, 400, 100, `Unsupported get request. Object with ID '${req.params.id}' does not exist`, null);
    res.json({ display_phone_number: options.displayPhoneNumber ?? '+52 55 0000 0000', verified_name: options.verifiedName ?? 'Conecta Internet', id: options.phoneNumberId, quality_rating: 'GREEN' });
  });

  app.post('/:version/:id/messages', (req, res) => {
    const body: unknown = req.body;
    if (!authorized(req)) return refuse(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token', body);
    if (!/^v\d+\.\d+$/.test(String(req.params.version))) return refuse(res, 400, 2500, 'Unknown path components', body);
    if (req.params.id !== options.phoneNumberId) return refuse(res, 400, 100, `Unsupported post request. Object with ID '${req.params.id}' does not exist`, body);
    const parsed = outboundSchema.safeParse(body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return refuse(res, 400, 131009, '(#131009) Parameter value is not valid', body, details);
    }
    const msg = parsed.data;
    const to = msg.to.replace(/^\+/, '');
    const i = injected.findIndex((e) => e.to === undefined || e.to === to);
    if (i >= 0) {
      const [{ error }] = injected.splice(i, 1) as [{ error: InjectedError }];
      const e = ERRORS[error]!;
      return refuse(res, e.status, e.code, e.message, body, e.details);
    }
    if (msg.type === 'template' && options.templates) {
      const expected = options.templates[msg.template.name];
      const given = msg.template.components?.find((c) => c.type === 'body')?.parameters.length ?? 0;
      if (expected === undefined) return refuse(res, 404, 132001, '(#132001) Template name does not exist in the translation', body, `template name (${msg.template.name}) does not exist in ${msg.template.language.code}`);
      if (expected !== given) return refuse(res, 400, 132000, '(#132000) Number of parameters does not match the expected number of params', body, `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`);
    }
    const now = Date.now();
    while (recent.length && recent[0]! <= now - 1000) recent.shift();
    if (recent.length >= perSecond) {
      const e = ERRORS[130429]!;
      return refuse(res, e.status, e.code, e.message, body, e.details);
    }
    recent.push(now);
    const wamid = `wamid.${randomBytes(18).toString('base64url')}`;
    const record: SentMessage = { wamid, to, type: msg.type, body: msg, at: now };
    sent.push(record);
    events.emit('sent', record);
    if (options.statusWebhook) void postStatus(record, options.statusWebhook);
    res.json({ messaging_product: 'whatsapp', contacts: [{ input: msg.to, wa_id: to }], messages: [{ id: wamid, ...(msg.type === 'template' ? { message_status: 'accepted' } : {}) }] });
  });

  let closed = false;
  async function postStatus(record: SentMessage, hook: NonNullable<GraphEmulatorOptions['statusWebhook']>): Promise<void> {
    const callbackData = (record.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data;
    const body = metaJson(delivery(statusesValue([status(record.wamid, 'sent', record.to, undefined, callbackData)], options.phoneNumberId)));
    for (let attempt = 0; !closed && attempt < 600; attempt++) {
      const urls = hook.urls();
      const url = urls[attempt % Math.max(1, urls.length)];
      if (url && (await postDelivery(url, body, { secret: hook.appSecret }).then((r) => r.status === 200, () => false))) return;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
    }
  }

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    sent,
    refused,
    failNext(error, times = 1, to) {
      for (let n = 0; n < times; n++) injected.push({ error, ...(to ? { to } : {}) });
    },
    sentTo: (to) => sent.filter((m) => m.to === to),
    waitForSent(count, { to, timeoutMs = 20_000 } = {}) {
      const matching = (): SentMessage[] => (to ? sent.filter((m) => m.to === to) : sent);
      if (matching().length >= count) return Promise.resolve(matching());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('sent', check);
          reject(new Error(`expected ${count} sent message(s)${to ? ` to ${to}` : ''}, got ${matching().length} after ${timeoutMs} ms`));
        }, timeoutMs);
        function check(): void {
          if (matching().length < count) return;
          clearTimeout(timer);
          events.off('sent', check);
          resolve(matching());
        }
        events.on('sent', check);
      });
    },
    close: () =>
      new Promise((resolve) => {
        closed = true;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
