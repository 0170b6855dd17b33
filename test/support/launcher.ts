/** Runs the real launcher as a child process (as an operator would) and waits for its messaging port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface LauncherProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/**
 * Starts the launcher and resolves once it serves. The port is read from its "messaging server
 * listening" log line (LOG_LEVEL info or lower), or, with `port`, /healthz is polled on that port
 * (any LOG_LEVEL). `nodeArgs` go to node before the script (e.g. `--cpu-prof`).
 */
export function startLauncher(args: readonly string[], env: Record<string, string>, options: { startTimeoutMs?: number; port?: number; nodeArgs?: readonly string[] } = {}): Promise<LauncherProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, 'bin/launcher.mjs'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    if (options.port !== undefined) {
      const port = options.port;
      const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
      const poll = (): void => {
        if (child.exitCode !== null) return;
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => (r.ok ? resolve({ child, port, baseUrl: `http://127.0.0.1:${port}`, exited, stderr: () => stderr }) : retry()),
          retry,
        );
      };
      const retry = (): void => void (Date.now() > deadline ? reject(new Error(`launcher did not serve on ${port} in time:\n${stderr.slice(-4000)}`)) : setTimeout(poll, 100));
      poll();
    }
    const timer = options.port !== undefined ? undefined : setTimeout(() => reject(new Error(`launcher did not start in time:\n${stderr.slice(-4000)}`)), options.startTimeoutMs ?? 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Keep memory bounded over long runs: only the start and the recent tail matter.
      if (stderr.length > 2_000_000) stderr = stderr.slice(0, 20_000) + stderr.slice(-1_000_000);
      const m = /"port":(\d+)[^\n]*"msg":"messaging server listening"/.exec(stderr);
      if (m && options.port === undefined) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ child, port, baseUrl: `http://127.0.0.1:${port}`, exited, stderr: () => stderr });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited with ${code}:\n${stderr.slice(-4000)}`));
    });
  });
}
