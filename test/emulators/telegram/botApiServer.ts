import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { botMethods, type MethodOutcome } from './botMethods.ts';
import type { EmulatorState } from './emulatorState.ts';

/**
 * The HTTP side of the emulator: `POST|GET /bot<token>/<method>` with a JSON, form or query
 * payload, answered in the Bot API envelope (`{ok, result}` or `{ok:false, error_code,
 * description, parameters}` with that HTTP status). Faults injected in the state are answered
 * before the method runs.
 */
export async function startBotApiServer(state: EmulatorState, token: string): Promise<{ root: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void handle(state, token, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function payloadOf(req: IncomingMessage, url: URL): Promise<Record<string, unknown> | string> {
  const payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const raw = await readBody(req);
  if (raw === '') return payload;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'request body must be a JSON object';
      return { ...payload, ...(parsed as Record<string, unknown>) };
    } catch {
      return "can't parse JSON body";
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { ...payload, ...Object.fromEntries(new URLSearchParams(raw)) };
  return `unsupported content type ${type || '(none)'} (the emulator speaks JSON, form and query parameters)`;
}

async function handle(state: EmulatorState, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const url = new URL(req.url ?? '/', 'http://emulator');
  const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  const [, requestToken = '', method = ''] = match;
  if (requestToken !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

  const payload = await payloadOf(req, url);
  const record = (status: number, p: Record<string, unknown>): void => {
    state.calls.push({ method, payload: p, status, at });
    state.changed();
  };
  if (typeof payload === 'string') {
    record(400, {});
    return send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${payload}` });
  }

  const fault = state.takeFault(method);
  if (fault) {
    record(fault.error_code, payload);
    return send(res, fault.error_code, { ok: false, ...fault });
  }
  const handler = botMethods[method.toLowerCase()];
  if (!handler) {
    record(404, payload);
    return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  }

  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const outcome: MethodOutcome = await handler(state, payload, aborted.signal);
  if (aborted.signal.aborted) return record(499, payload);
  if (outcome.ok) {
    record(200, payload);
    return send(res, 200, { ok: true, result: outcome.result });
  }
  record(outcome.failure.error_code, payload);
  send(res, outcome.failure.error_code, { ok: false, ...outcome.failure });
}
