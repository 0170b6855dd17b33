import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';

/** What /readyz reports: `ok` false answers 503 with the failing checks named. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, 'ok' | string>;
}

export interface HttpServer {
  app: Express;
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
  if (metrics) {
    app.use((req, res, next) => {
      const started = performance.now();
      res.on('finish', () => {
        // Fixed labels only: a webhook path may carry a secret (a Telegram token in the URL).
        const path = req.originalUrl.split('?')[0]!;
        const route = res.statusCode === 404 ? 'unmatched' : KNOWN_ROUTES.has(path) ? path : 'other';
        metrics.httpSeconds.observe({ route, method: req.method, status: String(res.statusCode) }, (performance.now() - started) / 1000);
      });
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
    listen: () =>
      new Promise((resolve, reject) => {
        const s = app.listen(options.port, options.host, (err?: Error) => {
          if (err) return reject(err);
          const port = (s.address() as AddressInfo).port;
          options.logger.info({ host: options.host, port }, 'messaging server listening');
          resolve(port);
        });
        s.on('error', reject);
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
