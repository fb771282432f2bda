/**
 * Start-up cost of a first NetCDF4 open, each measurement in a fresh Node
 * process running the built package (dist/, `npm run build:dist` first):
 *  - in-process: import of the reader module, first `openDataset` of a NetCDF4
 *    file with the pure-JS reader (default) and with h5wasm (forced), and the
 *    first whole-variable read after it;
 *  - the whole command `node dist/cli/main.js inspect FILE` (NetCDF4 and, for
 *    comparison, NetCDF3), wall and CPU (user + sys) time.
 * Median and range of `reps` runs (default 7), alternating the variants;
 * prints the load average before and after, as the machine is shared.
 * Run: flock /tmp/nunatak-bench.lock npx tsx bench/netcdf-startup.ts [reps]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadAverage } from './load-average.js';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const NC4 = join(ROOT, 'data', 'netcdf', 'A1B_north_america.nc');
const NC3 = join(ROOT, 'data', 'netcdf', 'histalp_merged_hef.nc');
const REPS = Number(process.argv[2] ?? 7);
if (!existsSync(join(DIST, 'cli', 'main.js'))) {
  console.error('bench/netcdf-startup: no dist/ — run `npm run build:dist` first (and `node scripts/build-dist.mjs --clean` after)');
  process.exit(1);
}
const env = { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };

/** One fresh process: import, open, first read; times in ms. */
function inProcess(engine: 'auto' | 'h5wasm'): { importMs: number; openMs: number; readMs: number } {
  const script = `
    const t0 = performance.now();
    const { openDataset } = await import(${JSON.stringify(join(DIST, 'io', 'netcdf', 'dataset.js'))});
    const t1 = performance.now();
    const ds = await openDataset(${JSON.stringify(NC4)}, { hdf5: ${JSON.stringify(engine)} });
    const t2 = performance.now();
    ds.readRaw(ds.vars[0].name);
    const t3 = performance.now();
    console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, readMs: t3 - t2 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** One `nunatak inspect` from dist under /usr/bin/time: wall and CPU (user + sys) seconds. */
function inspect(file: string): { wall: number; cpu: number } {
  const cmd = ['-f', '%e %U %S', process.execPath, join(DIST, 'cli', 'main.js'), 'inspect', file];
  const r = spawnSync('/usr/bin/time', cmd, { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(r.stderr);
  const [wall, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(3)} (${s[0].toFixed(3)}–${s[s.length - 1].toFixed(3)})`;
};

console.log(`load average before: ${loadAverage()}; ${REPS} runs each, Node ${process.version}`);
const js: ReturnType<typeof inProcess>[] = [];
const wasm: ReturnType<typeof inProcess>[] = [];
const i4: ReturnType<typeof inspect>[] = [];
const i3: ReturnType<typeof inspect>[] = [];
for (let k = 0; k < REPS; k++) {
  js.push(inProcess('auto'));
  wasm.push(inProcess('h5wasm'));
  i4.push(inspect(NC4));
  i3.push(inspect(NC3));
}
console.log(`load average after: ${loadAverage()}`);
console.log('\n| measurement (s, median (min–max)) | pure-JS reader (default) | h5wasm (forced) |\n|---|---|---|');
for (const [what, key] of [
  ['import of the reader module', 'importMs'],
  ['first NetCDF4 open', 'openMs'],
  ['first whole-variable read (air_temperature, 1.7 MB)', 'readMs'],
] as const) {
  console.log(`| ${what} | ${stats(js.map((r) => r[key] / 1000))} | ${stats(wasm.map((r) => r[key] / 1000))} |`);
}
console.log('\n| `nunatak inspect` from dist/ | wall s | CPU s (user + sys) |\n|---|---|---|');
console.log(`| NetCDF4 (${NC4.split('/').pop()}) | ${stats(i4.map((r) => r.wall))} | ${stats(i4.map((r) => r.cpu))} |`);
console.log(`| NetCDF3 (${NC3.split('/').pop()}) | ${stats(i3.map((r) => r.wall))} | ${stats(i3.map((r) => r.cpu))} |`);
