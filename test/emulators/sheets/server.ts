/**
 * A Google Sheets API v4 emulator on 127.0.0.1 for tests and the bench: the documented JSON of
 * spreadsheets.get / spreadsheets.batchUpdate (addSheet, appendDimension) and values.get /
 * batchGet / update / append / batchUpdate, with Google's error bodies. It checks the Bearer JWT,
 * can enforce Google's per-minute quotas (429 RESOURCE_EXHAUSTED) and can inject faults: an error
 * status, a slow answer, or "the write landed but the answer was lost" (connection cut after the
 * work is done). `before` hooks run staff edits (insert a row, sort) between two requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { RangeError400 } from './a1.ts';
import { checkBearer } from './auth.ts';
import { Spreadsheet, type Cell } from './grid.ts';
import { batchUpdateValues, describeSpreadsheet, HttpError, requireInput, structural, valueRange } from './handlers.ts';

export type Op = 'spreadsheets.get' | 'spreadsheets.batchUpdate' | 'values.get' | 'values.batchGet' | 'values.update' | 'values.append' | 'values.batchUpdate';

export interface RequestInfo {
  op: Op;
  kind: 'read' | 'write';
  spreadsheetId: string;
  /** The A1 ranges the request names (path or query or body). */
  ranges: string[];
  user?: string;
}

export interface Fault {
  match?: (r: RequestInfo) => boolean;
  /** How many matching requests it affects. */
  times: number;
  /** Answer with this status (429, 500, 503…) without doing the work. */
  status?: number;
  retryAfterSeconds?: number;
  /** Wait this long, then do the work and answer (a slow server; the client may have given up). */
  delayMs?: number;
  /** Do the work, then cut the connection: the write landed, the answer was lost. */
  lostAnswer?: boolean;
}

export interface Hook {
  match?: (r: RequestInfo) => boolean;
  times: number;
  run: (spreadsheet: Spreadsheet, r: RequestInfo) => void;
}

export interface Quota {
  /** Requests per window per user, reads and writes counted apart (Google: 60 per minute). */
  perUser: number;
  /** Per project, all users (Google: 300 per minute). */
  perProject: number;
  windowMs: number;
}

export interface LoggedRequest extends RequestInfo {
  status: number;
  at: number;
}

export interface SheetsEmulator {
  /** Root for SHEETS_API_ROOT, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly log: LoggedRequest[];
  quota: Quota | undefined;
  addServiceAccount(email: string, publicKey: KeyObject): void;
  create(id: string, tabs?: Record<string, Cell[][]>): Spreadsheet;
  spreadsheet(id: string): Spreadsheet;
  fail(fault: Fault): void;
  before(hook: Hook): void;
  /** Requests answered with `status` (all when omitted). */
  count(filter?: { status?: number; op?: Op; kind?: 'read' | 'write' }): number;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};


const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startSheetsEmulator(options: { quota?: Quota } = {}): Promise<SheetsEmulator> {
  const accounts = new Map<string, KeyObject>();
  const spreadsheets = new Map<string, Spreadsheet>();
  const faults: Fault[] = [];
  const hooks: Hook[] = [];
  const log: LoggedRequest[] = [];
  const accepted: { user: string; kind: string; at: number }[] = [];

  function route(method: string, url: URL): { info: Omit<RequestInfo, 'user'>; handle: (body: unknown) => unknown } {
    const m = /^\/v4\/spreadsheets\/([A-Za-z0-9_-]+)(.*)$/.exec(url.pathname);
    if (!m) throw new HttpError(404, 'Not Found');
    const [, id = '', rest = ''] = m;
    const sheet = () => {
      const s = spreadsheets.get(id);
      if (!s) throw new HttpError(404, 'Requested entity was not found.');
      return s;
    };
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    const read = { majorDimension: q('majorDimension'), valueRenderOption: q('valueRenderOption') };
    if (rest === '' && method === 'GET') return { info: { op: 'spreadsheets.get', kind: 'read', spreadsheetId: id, ranges: [] }, handle: () => describeSpreadsheet(sheet()) };
    if (rest === ':batchUpdate' && method === 'POST') return { info: { op: 'spreadsheets.batchUpdate', kind: 'write', spreadsheetId: id, ranges: [] }, handle: (b) => structural(sheet(), b) };
    if (rest === '/values:batchGet' && method === 'GET') {
      const ranges = url.searchParams.getAll('ranges');
      return {
        info: { op: 'values.batchGet', kind: 'read', spreadsheetId: id, ranges },
        handle: () => {
          const s = sheet();
          if (!ranges.length) throw new HttpError(400, 'Must specify at least one range.');
          return { spreadsheetId: id, valueRanges: ranges.map((r) => s.read(r, read)) };
        },
      };
    }
    if (rest === '/values:batchUpdate' && method === 'POST') {
      return {
        info: { op: 'values.batchUpdate', kind: 'write', spreadsheetId: id, ranges: [] },
        handle: (b) => batchUpdateValues(sheet(), id, b),
      };
    }
    const v = /^\/values\/([^/]+?)(:append)?$/.exec(rest);
    if (v) {
      const range = decodeURIComponent(v[1] ?? '');
      if (v[2] && method === 'POST') {
        return {
          info: { op: 'values.append', kind: 'write', spreadsheetId: id, ranges: [range] },
          handle: (b) => {
            const body = valueRange(b);
            const input = requireInput(q('valueInputOption'));
            return { spreadsheetId: id, ...sheet().append(range, body.values, input, q('insertDataOption') ?? 'OVERWRITE') };
          },
        };
      }
      if (!v[2] && method === 'GET') return { info: { op: 'values.get', kind: 'read', spreadsheetId: id, ranges: [range] }, handle: () => sheet().read(range, read) };
      if (!v[2] && method === 'PUT') {
        return {
          info: { op: 'values.update', kind: 'write', spreadsheetId: id, ranges: [range] },
          handle: (b) => {
            const body = valueRange(b);
            return { spreadsheetId: id, ...sheet().write(range, body.values, requireInput(q('valueInputOption')), body.majorDimension) };
          },
        };
      }
    }
    throw new HttpError(404, `Method not found: ${method} ${url.pathname}`);
  }

  function overQuota(user: string, kind: string, now: number): string | undefined {
    const quota = emulator.quota;
    if (!quota) return undefined;
    while (accepted.length && accepted[0]!.at <= now - quota.windowMs) accepted.shift();
    const mine = accepted.filter((a) => a.kind === kind && a.user === user).length;
    const all = accepted.filter((a) => a.kind === kind).length;
    const metric = kind === 'read' ? 'Read requests' : 'Write requests';
    if (mine >= quota.perUser) return `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.`;
    if (all >= quota.perProject) return `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute' of service 'sheets.googleapis.com' for consumer 'project_number:0'.`;
    accepted.push({ user, kind, at: now });
    return undefined;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let info: RequestInfo | undefined;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (info) log.push({ ...info, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      answer(status, { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, headers);
    try {
      const routed = route(req.method ?? 'GET', url);
      const auth = checkBearer(req.headers.authorization, accounts);
      info = { ...routed.info, ...(auth.ok ? { user: auth.user } : {}) };
      if (!auth.ok) return error(401, `Request had invalid authentication credentials. ${auth.message}`, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
      const current = info;
      for (const hook of hooks) {
        if (hook.times > 0 && (hook.match?.(current) ?? true)) {
          hook.times--;
          const target = spreadsheets.get(current.spreadsheetId);
          if (target) hook.run(target, current);
        }
      }
      const fault = faults.find((f) => f.times > 0 && (f.match?.(current) ?? true));
      if (fault) fault.times--;
      if (fault?.status) {
        const headers: Record<string, string> = fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
        return error(fault.status, fault.status === 429 ? 'Quota exceeded (injected).' : 'Internal error encountered (injected).', headers);
      }
      const quotaError = overQuota(current.user ?? '', current.kind, Date.now());
      if (quotaError) return error(429, quotaError);
      if (fault?.delayMs) await sleep(fault.delayMs);
      let body: unknown = undefined;
      if (chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new HttpError(400, 'Invalid JSON payload received.');
        }
      }
      const result = routed.handle(body);
      if (fault?.lostAnswer) {
        log.push({ ...current, status: 0, at: Date.now() });
        req.socket.destroy();
        return;
      }
      answer(200, result);
    } catch (err) {
      if (err instanceof HttpError) return error(err.status, err.message);
      if (err instanceof RangeError400) return error(400, err.message);
      return error(500, `emulator bug: ${(err as Error).message}`);
    }
  }

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const emulator: SheetsEmulator = {
    url: `http://127.0.0.1:${port}`,
    log,
    quota: options.quota,
    addServiceAccount: (email, key) => void accounts.set(email, key),
    create(id, tabs = {}) {
      const s = new Spreadsheet(id);
      for (const [title, rows] of Object.entries(tabs)) s.addSheet(title, rows);
      spreadsheets.set(id, s);
      return s;
    },
    spreadsheet(id) {
      const s = spreadsheets.get(id);
      if (!s) throw new Error(`no spreadsheet ${id}`);
      return s;
    },
    fail: (fault) => void faults.push({ ...fault }),
    before: (hook) => void hooks.push({ ...hook }),
    count: (f = {}) => log.filter((r) => (f.status === undefined || r.status === f.status) && (f.op === undefined || r.op === f.op) && (f.kind === undefined || r.kind === f.kind)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return emulator;
}
