import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../bin/compiled.mjs';
import { repoRoot } from '../support/launcher.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the compiled launcher (npm run build)', () => {
  it('is used only while no source changed since the build started; a dist/-only deployment uses it', () => {
    const root = mkdtempSync(join(tmpdir(), 'compiled-'));
    made.push(root);
    mkdirSync(join(root, 'src/deep'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    const at = (file: string, seconds: number, text = '') => (writeFileSync(join(root, file), text), utimesSync(join(root, file), seconds, seconds));
    at('launcher.ts', 1_000);
    at('src/deep/flow.ts', 1_000);
    at('dist/launcher.js', 2_000);
    expect(compiledEntry(root), 'no stamp: the build did not finish').toBeUndefined();
    // The stamp holds the newest source time seen when the build started (1,000 s).
    at('dist/.built', 2_000, '1000000\n');
    expect(compiledEntry(root)).toBe(join(root, 'dist', 'launcher.js'));
    at('src/deep/flow.ts', 1_500);
    expect(compiledEntry(root), 'a source edited while or after compiling').toBeUndefined();
    at('src/deep/flow.ts', 1_000);
    at('launcher.ts', 5_000);
    expect(compiledEntry(root), 'the launcher edited after the build').toBeUndefined();
    rmSync(join(root, 'src'), { recursive: true });
    rmSync(join(root, 'launcher.ts'));
    expect(compiledEntry(root), 'only dist/ shipped').toBe(join(root, 'dist', 'launcher.js'));
  });

  it('builds, and the compiled launcher answers like the sources', () => {
    // Inside the repository, so the compiled files find node_modules like dist/ does.
    const out = mkdtempSync(join(repoRoot, '.build-test-'));
    made.push(out);
    execFileSync(process.execPath, [join(repoRoot, 'bin/finishBuild.mjs'), 'start', out], { cwd: repoRoot });
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', out], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [join(repoRoot, 'bin/finishBuild.mjs'), 'finish', out], { cwd: repoRoot });
    expect(compiledEntry(repoRoot, out)).toBe(join(out, 'launcher.js'));
    const answer = execFileSync(process.execPath, [join(out, 'launcher.js'), 'nlu', 'quiero contratar internet en el centro'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', DATA_DIR: join(out, 'data') } }).toString();
    expect(JSON.parse(answer)).toMatchObject({ intent: 'registro', entities: { zona: 'Centro' } });
  }, 120_000);
});
