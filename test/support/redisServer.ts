/**
 * A private redis-server for tests that restart Redis or need an empty one: its own port and
 * directory, append-only file fsynced on every write (what a durable queue needs in production).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGTERM: AOF flushed) and starts it again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      r.disconnect();
    }
  }
}

/** `fsync`: `always` (tests: nothing acknowledged is ever lost) or `everysec` (the production default, benchmarks). */
export async function startPrivateRedis(options: { fsync?: 'always' | 'everysec' } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'isp-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', options.fsync ?? 'always', '--save', ''], { stdio: 'ignore' });
    proc = p;
    await new Promise<void>((resolve, reject) => {
      p.once('error', (err) => reject(new Error(`redis-server could not start (is it installed?): ${err.message}`)));
      p.once('spawn', () => resolve());
    });
    await waitForPing(url, 10_000);
  }

  async function halt(): Promise<void> {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    await exited;
  }

  await launch();
  return {
    url,
    port,
    async restart(options = {}) {
      await halt();
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 500));
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
