// Whether the compiled launcher (`npm run build` → dist/) can be run instead of the sources: it can
// when the build finished (its stamp exists) and no source file changed since the build started
// (the stamp holds the newest source time seen then). A checkout edited after a build simply runs
// from its sources again (never a stale build); a deployment that ships only dist/ runs dist/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** The compiled entry point under `dist` when it is complete and no source is newer than it; else undefined. */
export function compiledEntry(root, dist = join(root, 'dist')) {
  const stamp = join(dist, STAMP);
  const entry = join(dist, 'launcher.js');
  if (!existsSync(stamp) || !existsSync(entry)) return undefined;
  const builtFrom = Number(readFileSync(stamp, 'utf8').trim());
  if (!Number.isFinite(builtFrom)) return undefined;
  let newest;
  try {
    newest = newestSource(root);
  } catch (err) {
    if (err.code === 'ENOENT') return entry;
    throw err;
  }
  return newest <= builtFrom ? entry : undefined;
}
