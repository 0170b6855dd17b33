import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createApp, type App, type AppOptions } from '../app.ts';
import { EnvError, parseEnv, type Env } from '../config/env.ts';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import type { IspConfig } from '../config/schema.ts';
import { createLogger } from '../logger.ts';
import { SheetsConfigError } from '../sheets/google/configError.ts';

export interface Runtime {
  env: Env;
  config: IspConfig;
  logger: Logger;
}

/** A user-facing CLI failure: printed as-is (no stack), exits with `code`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message);
  }
}

/** Env and config, validated; `quiet` lowers the log level for scripted commands (stdout is data). */
export function loadRuntime(options: { quiet?: boolean | ((env: Env) => boolean) } = {}): Runtime {
  try {
    const env = parseEnv(process.env);
    const quiet = typeof options.quiet === 'function' ? options.quiet(env) : options.quiet;
    const level = quiet && !process.env.LOG_LEVEL ? 'warn' : env.LOG_LEVEL;
    const logger = createLogger(level);
    const config = loadConfig(resolve(env.CONFIG_FILE));
    return { env, config, logger };
  } catch (err) {
    if (err instanceof EnvError || err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

export async function bootApp(runtime: Runtime, extra: Partial<AppOptions> = {}): Promise<App> {
  try {
    return await createApp({ config: runtime.config, env: runtime.env, logger: runtime.logger, ...extra });
  } catch (err) {
    // A misconfigured integration (bad service-account key…) is the operator's to fix: say what, no stack.
    if (err instanceof SheetsConfigError) throw new CliError(err.message);
    throw err;
  }
}
