// Compiles the AssemblyScript kernels in src/kernels/assembly/*.ts to
// build/kernels/<name>.wasm (optimised, SIMD enabled). Run by `npm test` and
// the example commands; a no-op when there are no kernels or they are current.
// Kernels import one shared memory (threads feature) so worker threads can run
// row bands of the same kernel over the same arrays; --noAssert keeps them free
// of static data (abort strings) that would collide between modules.
import { readdirSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const src = 'src/kernels/assembly';
const out = 'build/kernels';
if (!existsSync(src)) process.exit(0);
mkdirSync(out, { recursive: true });
for (const f of readdirSync(src).filter((x) => x.endsWith('.ts'))) {
  const name = f.replace(/\.ts$/, '');
  const wasm = join(out, `${name}.wasm`);
  // Rebuild when the source or this script (the flags) is newer than the wasm.
  const newest = Math.max(statSync(join(src, f)).mtimeMs, statSync(new URL(import.meta.url)).mtimeMs);
  if (existsSync(wasm) && statSync(wasm).mtimeMs > newest) continue;
  const r = spawnSync(
    process.execPath,
    ['node_modules/assemblyscript/bin/asc.js', join(src, f), '-o', wasm, '-O3', '--runtime', 'stub', '--enable', 'simd', '--enable', 'threads', '--noAssert', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`built ${wasm}`);
}
