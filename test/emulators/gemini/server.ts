import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateGenerateContent, type GenerateContentBody } from './wireFormat.ts';

/**
 * A local stand-in for the Gemini API (generativelanguage.googleapis.com) on 127.0.0.1, speaking
 * its REST wire format: POST /v1beta/models/{model}:generateContent and GET /v1beta/models/{model}.
 * It plays scripted responses in order — text, function calls, malformed calls, HTTP errors with
 * Google's error body, requests that never answer — and records every request it received, so
 * tests assert on the declarations, the system instruction and the history the client sent.
 * Requests are checked like the API does (key, shapes, function call/response pairing): a bad
 * one gets 400 INVALID_ARGUMENT and is recorded in `rejected`.
 */
export interface Usage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
}

export type Step =
  | { text: string; usage?: Usage }
  | { functionCalls: { name: string; args?: unknown; id?: string }[]; text?: string; usage?: Usage }
  /** An error status with Google's body; `retryDelay` like "2s" adds RetryInfo (429). */
  | { error: 400 | 403 | 404 | 429 | 500 | 503 | 504; reason?: string; retryDelay?: string }
  /** Never answers: the client's timeout fires. */
  | { hang: true }
  /** Any body, for malformed responses. */
  | { raw: unknown; status?: number };

export interface RecordedRequest {
  model: string;
  body: GenerateContentBody;
  apiKey: string | undefined;
}

export interface GeminiEmulator {
  readonly url: string;
  readonly apiKey: string;
  /** Every generateContent request that passed validation, in order. */
  readonly requests: RecordedRequest[];
  /** Requests refused with 400 because they broke the wire format, with the reason. */
  readonly rejected: string[];
  /** Appends steps; each request consumes one. With none left the emulator answers 500. */
  play(...steps: Step[]): void;
  /** Steps not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, { status: string; message: string; reason?: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  403: { status: 'PERMISSION_DENIED', message: 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.', reason: 'SERVICE_DISABLED' },
  404: { status: 'NOT_FOUND', message: 'models/x is not found for API version v1beta, or is not supported for generateContent.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.' },
  500: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'The request timed out. Please try again.' },
};

function errorBody(code: number, overrides: { message?: string; reason?: string; retryDelay?: string } = {}) {
  const known = STATUS_TEXT[code] ?? { status: 'UNKNOWN', message: 'error' };
  const reason = overrides.reason ?? known.reason;
  const details = [
    ...(reason ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }] : []),
    ...(overrides.retryDelay ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: overrides.retryDelay }] : []),
  ];
  return { error: { code, message: overrides.message ?? known.message, status: known.status, ...(details.length ? { details } : {}) } };
}

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function success(step: Extract<Step, { text: string } | { functionCalls: unknown }>, body: GenerateContentBody, model: string) {
  const parts: Record<string, unknown>[] = [];
  if ('functionCalls' in step) {
    if (step.text) parts.push({ text: step.text });
    for (const call of step.functionCalls) parts.push({ functionCall: { name: call.name, args: call.args ?? {}, ...(call.id ? { id: call.id } : {}) } });
  } else {
    parts.push({ text: step.text });
  }
  const prompt = step.usage?.promptTokenCount ?? tokens(JSON.stringify(body));
  const out = step.usage?.candidatesTokenCount ?? tokens(JSON.stringify(parts));
  const thoughts = step.usage?.thoughtsTokenCount ?? 0;
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: prompt, candidatesTokenCount: out, totalTokenCount: prompt + out + thoughts, ...(thoughts ? { thoughtsTokenCount: thoughts } : {}) },
    modelVersion: model,
    responseId: Math.random().toString(36).slice(2),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
};

export async function startGeminiEmulator(options: { apiKey?: string } = {}): Promise<GeminiEmulator> {
  const apiKey = options.apiKey ?? 'test-gemini-key';
  const steps: Step[] = [];
  const requests: RecordedRequest[] = [];
  const rejected: string[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => send(res, 500, errorBody(500, { message: `emulator: ${err.message}` })));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = (req.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key') ?? undefined;
    if (key !== apiKey) {
      return send(res, 400, errorBody(400, { message: 'API key not valid. Please pass a valid API key.', reason: 'API_KEY_INVALID' }));
    }
    const get = /^\/v1beta\/models\/([\w.-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && get) {
      return send(res, 200, { name: `models/${get[1]}`, displayName: get[1], supportedGenerationMethods: ['generateContent', 'countTokens'] });
    }
    const post = /^\/v1beta\/models\/([\w.-]+):generateContent$/.exec(url.pathname);
    if (req.method !== 'POST' || !post?.[1]) return send(res, 404, errorBody(404, { message: `emulator: no route ${req.method} ${url.pathname}` }));
    const model = post[1];
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      rejected.push('body is not JSON');
      return send(res, 400, errorBody(400, { message: 'Invalid JSON payload received.' }));
    }
    const checked = validateGenerateContent(body);
    if (!checked.ok) {
      rejected.push(checked.reason);
      return send(res, 400, errorBody(400, { message: checked.reason }));
    }
    requests.push({ model, body: checked.body, apiKey: key });
    const step = steps.shift();
    if (!step) return send(res, 500, errorBody(500, { message: 'emulator: no scripted response left' }));
    if ('hang' in step) return; // the client gives up; close() ends the socket
    if ('raw' in step) return send(res, step.status ?? 200, step.raw);
    if ('error' in step) return send(res, step.error, errorBody(step.error, step));
    return send(res, 200, success(step, checked.body, model));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    rejected,
    play: (...more) => void steps.push(...more),
    pending: () => steps.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
