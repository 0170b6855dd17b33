import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';

export interface HttpServer {
  app: Express;
  /** Starts listening; resolves with the bound port (0 in options = any free port). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** The messaging port: webhooks of every channel plus /healthz. Routes parse their own bodies. */
export function createHttpServer(options: { host: string; port: number; logger: Logger }): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
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
