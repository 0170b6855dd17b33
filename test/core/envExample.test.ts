import { readFileSync } from 'node:fs';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from '../../src/config/env.ts';

const example = parseDotenv(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));

describe('.env.example', () => {
  it('is a valid configuration as copied (every value it gives passes the checks)', () => {
    expect(() => parseEnv(example)).not.toThrow();
  });

  it('lists every variable the gateway reads, each with a comment above it', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');
    for (const name of Object.keys(envSchema.shape)) {
      const line = text.findIndex((l) => l.startsWith(`${name}=`));
      expect(line, name).toBeGreaterThan(0);
      expect(text[line - 1], `comment above ${name}`).toMatch(/^#/);
    }
  });
});
