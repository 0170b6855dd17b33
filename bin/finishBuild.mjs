// The first and last steps of `npm run build`. `start`: drops the stamp (nothing runs a half-written
// build) and notes the newest source time now, so an edit made while compiling is seen as newer.
// Otherwise: copies the files the compiled code reads next to itself (the NLU corpus) and writes
// the stamp that tells bin/launcher.mjs the build is complete and from which sources.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource, STAMP } from './compiled.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.argv[3] ?? join(root, 'dist');
const building = join(dist, '.building');
if (process.argv[2] === 'start') {
  mkdirSync(dist, { recursive: true });
  rmSync(join(dist, STAMP), { force: true });
  writeFileSync(building, `${newestSource(root)}\n`);
} else {
  cpSync(join(root, 'src/agent/nlu/corpus'), join(dist, 'src/agent/nlu/corpus'), { recursive: true });
  writeFileSync(join(dist, STAMP), readFileSync(building, 'utf8'));
  rmSync(building, { force: true });
}
