import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Makes fresh temporary directories named `<label>…` for the calling test file and removes them all
 * after its tests. Call at module level.
 */
export function tempDirs(label: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), label));
    made.push(dir);
    return dir;
  };
}
