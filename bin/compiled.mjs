// Whether the compiled launcher (`npm run build` → dist/) can be run instead of the sources: it
// can when the build finished (its stamp exists) after the last change to launcher.ts or src/.
// A checkout edited after a build is simply run from its sources again (never a stale build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = '.built';

/** Newest modification time (ms) of launcher.ts and every file under src/. */
export function newestSource(root) {
  let newest = statSync(join(root, 'launcher.ts')).mtimeMs;
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** The compiled entry point under `dist` when it is complete and newer than the sources; else undefined. */
export function compiledEntry(root, dist = join(root, 'dist')) {
  const stamp = join(dist, STAMP);
  const entry = join(dist, 'launcher.js');
  if (!existsSync(stamp) || !existsSync(entry)) return undefined;
  return statSync(stamp).mtimeMs >= newestSource(root) ? entry : undefined;
}
