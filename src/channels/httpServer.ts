import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';

/** What /readyz reports: `ok` false answers 503 with the failing checks named. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, 'ok' | string>;
}

/** A handler served on node:http directly, ahead of express (a hot path: a webhook POST). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpServer {
  app: Express;
  /**
   * Serves `method path` (exact path, any query) with a plain node:http handler instead of express:
   * no router, no middleware, so a webhook delivery costs a fraction of the CPU. Metrics still count it.
   */
  route(method: string, path: string, handler: RawHandler): void;
  /** Starts listening; resolves with the bound port (0 in options = any free port). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

const KNOWN_ROUTES = new Set(['/webhook', '/metrics', '/healthz', '/readyz']);

/**
 * The messaging port: webhooks of every channel, /healthz (alive), /readyz (state, store and
 * channels ready) and /metrics (Prometheus). Routes parse their own bodies.
 */
export function createHttpServer(options: { host: string; port: number; logger: Logger; metrics?: Metrics; readiness?: () => Promise<Readiness> }): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  const { metrics, readiness } = options;
  const observe = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (!metrics) return;
    const started = performance.now();
    res.on('finish', () => {
      // Fixed labels only: a webhook path may carry a secret (a Telegram token in the URL).
      const route = res.statusCode === 404 ? 'unmatched' : KNOWN_ROUTES.has(path) ? path : 'other';
      metrics.httpSeconds.observe({ route, method: req.method ?? 'GET', status: String(res.statusCode) }, (performance.now() - started) / 1000);
    });
  };
  const raw = new Map<string, RawHandler>();
  // Matched like express routes: any letter case, one trailing slash allowed (`/Webhook/`).
  const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase()}`;
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const handler = raw.get(routeKey(req.method ?? 'GET', path));
    if (!handler) return void app(req, res);
    observe(req, res, path);
    handler(req, res);
  };
  if (metrics) {
    app.use((req, res, next) => {
      observe(req, res, req.originalUrl.split('?')[0]!);
      next();
    });
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.scrape());
    });
  }
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const state: Readiness = readiness ? await readiness().catch((err: Error) => ({ ok: false, checks: { readiness: err.message } })) : { ok: true, checks: {} };
    res.status(state.ok ? 200 : 503).json(state);
  });
  let server: Server | undefined;
  return {
    app,
    route: (method, path, handler) => void raw.set(routeKey(method, path), handler),
    listen: () =>
      new Promise((resolve, reject) => {
        const s = createServer(dispatch);
        s.once('error', reject);
        s.listen(options.port, options.host, () => {
          s.off('error', reject);
          s.on('error', (err) => options.logger.error({ err }, 'messaging server error'));
          const port = (s.address() as AddressInfo).port;
          options.logger.info({ host: options.host, port }, 'messaging server listening');
          resolve(port);
        });
        server = s;
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
