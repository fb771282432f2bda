// Builds what an installed nunatak runs: tsc emits src/**/*.ts as JavaScript
// with .d.ts declarations into dist/ (tsconfig.build.json), and the runtime
// files beside the code (module defaults YAML, worker .mjs) are copied along
// so every `new URL('./x', import.meta.url)` finds its file under dist/ as it
// does under src/. Run by `npm pack` (prepack); `--clean` (postpack) removes
// dist/ again so a checkout keeps running its sources.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const SRC = 'src';
const OUT = 'dist';
// Sources compiled to wasm, not shipped as code.
const SKIP = new Set([join(SRC, 'kernels', 'assembly')]);

rmSync(OUT, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
(function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (SKIP.has(p)) continue;
    if (statSync(p).isDirectory()) copyAssets(p);
    else if (!name.endsWith('.ts')) {
      cpSync(p, join(OUT, relative(SRC, p)));
      copied++;
    }
  }
})(SRC);
if (!existsSync(join(OUT, 'cli', 'main.js'))) {
  console.error('build-dist: dist/cli/main.js missing after tsc');
  process.exit(1);
}
console.log(`built ${OUT}/ (tsc) and copied ${copied} runtime files`);
