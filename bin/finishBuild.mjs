// The last step of `npm run build`: copies the files the compiled code reads next to itself (the
// NLU corpus) and writes the stamp that tells bin/launcher.mjs the build is complete.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP } from './compiled.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.argv[3] ?? join(root, 'dist');
if (process.argv[2] === 'start') {
  // Before compiling: no stamp while files are being replaced, so nothing runs a half-written build.
  rmSync(join(dist, STAMP), { force: true });
} else {
  cpSync(join(root, 'src/agent/nlu/corpus'), join(dist, 'src/agent/nlu/corpus'), { recursive: true });
  writeFileSync(join(dist, STAMP), `${new Date().toISOString()}\n`);
}
