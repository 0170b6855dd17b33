import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMessages, loadMessages } from '../../src/config/messages.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const catalogue = loadMessages(join(root, 'config/messages'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('message catalogue', () => {
  it('has every key the code asks for by literal name', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-z_]+\.[\w.]+)'/g)) {
        if (!catalogue.has(m[1]!)) missing.push(`${file.slice(root.length)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps every text short enough for one message', () => {
    for (const key of catalogue.keys()) {
      const filled = catalogue.t(key, new Proxy({}, { get: () => 'XXXXXXXXXXXX' }));
      expect(filled.length, key).toBeLessThanOrEqual(800);
    }
  });

  it('fills placeholders and refuses unknown keys or missing variables', () => {
    const m = createMessages(new Map([['a.b', 'Hola {name}, tu folio es {folio}']]));
    expect(m.t('a.b', { name: 'Ana', folio: 'F-000001' })).toBe('Hola Ana, tu folio es F-000001');
    expect(() => m.t('a.c')).toThrow(/unknown message key: a.c/);
    expect(() => m.t('a.b', { name: 'Ana' })).toThrow(/needs \{folio\}/);
  });
});
