import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { outboundSchema, type Outbound } from './messageSchemas.ts';
import { delivery, status, statusesValue } from '../../channels/whatsapp/fixtures/metaPayloads.ts';
import { metaJson, postDelivery } from './metaWebhook.ts';

/**
 * A local stand-in for the Graph API's WhatsApp endpoints on 127.0.0.1, speaking Meta's wire
 * format: POST /{version}/{phone-number-id}/messages (validated against Meta's shapes and limits,
 * recorded) and GET /{version}/{phone-number-id}. It can answer the errors the adapter must handle
 * (130429, 131047, 131056, 5xx) and enforces the per-number throughput like the Cloud API does.
 * A plain node:http server (no framework) so it costs little CPU per request under load; bodies
 * are read like express.json did: 1 MB limit (413), JSON objects/arrays only (400), other
 * content types left unparsed.
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

/** Request body limit, as express.json({ limit: '1mb' }) had it. */
const BODY_LIMIT = 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const json = JSON.stringify(payload);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(json) }).end(json);
}

/** A Graph-style error body for requests that never reach a handler (bad JSON, too large, no route). */
function graphError(res: ServerResponse, status: number, code: number, message: string): void {
  reply(res, status, { error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(8).toString('base64url') } });
}

type Body = { ok: true; value: unknown } | { ok: false; status: number; message: string };

/** Parses a read body the way express.json (strict) did: empty → {}, only objects and arrays. */
function parseJson(raw: Buffer): Body {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return { ok: true, value: {} };
  const first = /[^ \t\n\r]/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return { ok: false, status: 400, message: `Invalid JSON: unexpected ${first === undefined ? 'end of input' : `token '${first}'`}` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, status: 400, message: `Invalid JSON: ${(err as Error).message}` };
  }
}

/** Reads a JSON request body (1 MB limit); a request without one, or not application/json, gives undefined. */
function readBody(req: IncomingMessage, done: (body: Body) => void): void {
  const { headers } = req;
  const length = headers['content-length'];
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '');
  const type = headers['content-type'];
  if (!hasBody || type === undefined || type.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') {
    done({ ok: true, value: undefined });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(length) > BODY_LIMIT;
  // Like body-parser, an oversized body is still read off (and dropped) before answering 413.
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > BODY_LIMIT) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) done({ ok: false, status: 413, message: 'Request entity too large' });
    else done(parseJson(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });
  req.on('error', () => {});
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const sent: SentMessage[] = [];
  const refused: RefusedRequest[] = [];
  const injected: { error: InjectedError; to?: string }[] = [];
  const events = new EventEmitter();
  const recent: number[] = [];
  const perSecond = options.throughputPerSecond ?? 80;
  const bearer = `Bearer ${options.accessToken}`;

  // wamid: 12 random bytes per emulator + a 48-bit counter from a random start, base64url (24 characters).
  const wamidPrefix = `wamid.${randomBytes(12).toString('base64url')}`;
  let wamidSeq = randomBytes(4).readUInt32BE() * 256;
  const nextWamid = (): string => {
    let n = ++wamidSeq;
    let tail = '';
    for (let k = 0; k < 8; k++, n = Math.floor(n / 64)) tail = B64URL[n % 64]! + tail;
    return wamidPrefix + tail;
  };

  const refuse = (res: ServerResponse, status: number, code: number, message: string, body: unknown, details = ''): void => {
    refused.push({ status, code, reason: details ? `${message}: ${details}` : message, body });
    reply(res, status, {
      error: { message, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: randomBytes(8).toString('base64url') },
    });
  };
  const authorized = (req: IncomingMessage): boolean => req.headers.authorization === bearer;

  function getPhoneNumber(req: IncomingMessage, res: ServerResponse, id: string): void {
    if (!authorized(req)) return refuse(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token', null);
    if (id !== options.phoneNumberId) return refuse(res, 400, 100, `Unsupported get request. Object with ID '${id}' does not exist`, null);
    reply(res, 200, { display_phone_number: options.displayPhoneNumber ?? '+52 55 0000 0000', verified_name: options.verifiedName ?? 'Conecta Internet', id: options.phoneNumberId, quality_rating: 'GREEN' });
  }

  function postMessage(req: IncomingMessage, res: ServerResponse, version: string, id: string, body: unknown): void {
    if (!authorized(req)) return refuse(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token', body);
    if (!/^v\d+\.\d+$/.test(version)) return refuse(res, 400, 2500, 'Unknown path components', body);
    if (id !== options.phoneNumberId) return refuse(res, 400, 100, `Unsupported post request. Object with ID '${id}' does not exist`, body);
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
    const wamid = nextWamid();
    const record: SentMessage = { wamid, to, type: msg.type, body: msg, at: now };
    sent.push(record);
    events.emit('sent', record);
    if (options.statusWebhook) void postStatus(record, options.statusWebhook);
    reply(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: msg.to, wa_id: to }], messages: [{ id: wamid, ...(msg.type === 'template' ? { message_status: 'accepted' } : {}) }] });
  }

  /** Routes GET (and HEAD) /{version}/{id} and POST /{version}/{id}/messages; path matching is case-insensitive and allows one trailing slash, like express. */
  function route(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    let path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const parts = path.split('/');
    const method = req.method;
    const noRoute = (): void => graphError(res, 404, 2500, `Unknown path components: ${method} ${path}`);
    if (parts[0] !== '' || !parts[1] || !parts[2]) return noRoute();
    let version: string;
    let id: string;
    try {
      version = decodeURIComponent(parts[1]);
      id = decodeURIComponent(parts[2]);
    } catch {
      return graphError(res, 400, 100, `Failed to decode path ${path}`);
    }
    if (parts.length === 3 && (method === 'GET' || method === 'HEAD')) return getPhoneNumber(req, res, id);
    if (parts.length === 4 && method === 'POST' && parts[3]!.toLowerCase() === 'messages') return postMessage(req, res, version, id, body);
    noRoute();
  }

  const server: Server = createServer((req, res) => {
    readBody(req, (body) => {
      try {
        if (!body.ok) graphError(res, body.status, 100, body.message);
        else route(req, res, body.value);
      } catch (err) {
        if (!res.headersSent) graphError(res, 500, 1, `An unknown error has occurred: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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
