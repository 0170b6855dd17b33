import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type IspConfig } from './schema.ts';
import { formatIssues } from './issues.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses and validates an ISP config (YAML or JSON text). Throws ConfigError naming every bad path. */
export function parseConfig(text: string, source = 'config'): IspConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${source} is invalid:\n${formatIssues(result.error.issues)}`);
  return result.data;
}

export function loadConfig(path: string): IspConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfig(text, path);
}
