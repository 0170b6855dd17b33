import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './loadConfig.ts';
import { formatIssues } from './issues.ts';

/** A message template; `{name}` placeholders are filled by `t`. */
export type Vars = Record<string, string | number | undefined>;

export interface Messages {
  /** Renders a message by dotted key (`registro.askZone`). Throws on an unknown key or a missing variable. */
  t(key: string, vars?: Vars): string;
  has(key: string): boolean;
  keys(): string[];
}

const MAX_TEMPLATE = 800;
const catalogueFile = z.record(z.string(), z.union([z.string().min(1).max(MAX_TEMPLATE), z.record(z.string(), z.string().min(1).max(MAX_TEMPLATE))]));

/**
 * Loads the es-MX catalogue from a folder of YAML files; each file is one namespace
 * (`registro.yaml` → keys `registro.*`). One catalogue, split by flow so each file stays short.
 */
export function loadMessages(dir: string): Messages {
  const flat = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const ns = file.replace(/\.yaml$/, '');
    const parsed = catalogueFile.safeParse(parseYaml(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new ConfigError(`${join(dir, file)} is invalid:\n${formatIssues(parsed.error.issues)}`);
    for (const [key, value] of Object.entries(parsed.data)) {
      if (typeof value === 'string') flat.set(`${ns}.${key}`, value);
      else for (const [sub, text] of Object.entries(value)) flat.set(`${ns}.${key}.${sub}`, text);
    }
  }
  return createMessages(flat);
}

export function createMessages(flat: Map<string, string>): Messages {
  return {
    t(key, vars = {}) {
      const template = flat.get(key);
      if (template === undefined) throw new Error(`unknown message key: ${key}`);
      return template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = vars[name];
        if (value === undefined) throw new Error(`message ${key} needs {${name}}`);
        return String(value);
      });
    },
    has: (key) => flat.has(key),
    keys: () => [...flat.keys()],
  };
}
