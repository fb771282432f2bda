/**
 * NetCDF I/O throughput: one 100 × 1000 × 1000 float32 variable (400 MB),
 * nunatak vs netCDF4-python (Debian, libnetcdf + libhdf5) in the same run.
 *  - write NetCDF4: create, then 100 saves that each open, append one time
 *    record and close (the crash-safe pattern both sides use); generating the
 *    data is excluded on both sides.
 *  - read NetCDF4 (written by the other side, so each reads a foreign file) and
 *    NetCDF3 classic (written by netCDF4-python): the whole variable, raw values,
 *    best of 3 interleaved runs (writes: best of 2); checksums must agree.
 *    The machine is shared, so single runs vary by 2–5×; best-of-N is reported.
 * Files live in a temp dir under /tmp and are deleted afterwards. Files are
 * read right after being written, so reads come from the OS page cache.
 * Node runs with glibc's huge pages for large allocations, as `bin/nunatak.js`
 * does and as NumPy does on its own (madvise); the script restarts itself
 * with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 unless GLIBC_TUNABLES is set
 * (set it to anything else, e.g. glibc.malloc.hugetlb=0, to time without).
 * NetCDF4 is read by the pure-JS reader (the default), and once more with
 * h5wasm forced (the fallback for features the JS reader does not decode).
 * Start-up (first open in a fresh process, `nunatak inspect`): bench/netcdf-startup.ts.
 * Run: flock /tmp/nunatak-bench.lock npx tsx bench/netcdf.ts [nt]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { loadAverage } from './load-average.js';
import { join } from 'node:path';
import { openDataset } from '../src/io/netcdf/dataset.js';
import { createNetcdf } from '../src/io/netcdf/writer.js';
import { loadH5 } from '../src/io/netcdf/h5.js';

if (process.platform === 'linux' && process.env.GLIBC_TUNABLES === undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
  });
  process.exit(r.status ?? 1);
}

const NT = Number(process.argv[2] ?? 100);
const NY = 1000;
const NX = 1000;
const MB = (NT * NY * NX * 4) / 1e6;
const dir = mkdtempSync(join(tmpdir(), 'nunatak-bench-nc-'));
const PY = '/usr/bin/python3';
const PEER = join(import.meta.dirname, 'peers', 'netcdf_io.py');

function py(...args: string[]): { seconds: number; checksum?: number } {
  const r = spawnSync(PY, [PEER, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function step(k: number): Float32Array {
  const a = new Float32Array(NY * NX);
  for (let i = 0; i < a.length; i++) a[i] = k + 0.001 * (i % 1000);
  return a;
}

async function nkWrite(path: string): Promise<number> {
  const t0 = performance.now();
  const w = await createNetcdf(path, {
    grid: { nx: NX, ny: NY, x0: 0, y0: 0, dx: 100, dy: 100 },
    time: { units: 'days since 2000-01-01' },
    variables: [{ name: 'thk', units: 'm' }],
  });
  let gen = 0;
  for (let k = 0; k < NT; k++) {
    const g0 = performance.now();
    const a = step(k);
    gen += performance.now() - g0;
    w.append(k, { thk: a });
  }
  return (performance.now() - t0 - gen) / 1000;
}

async function nkRead(path: string, hdf5: 'auto' | 'h5wasm' = 'auto'): Promise<{ seconds: number; checksum: number }> {
  const t0 = performance.now();
  const ds = await openDataset(path, { hdf5 });
  const a = ds.readRaw('thk') as Float32Array;
  ds.close();
  const seconds = (performance.now() - t0) / 1000;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return { seconds, checksum: s };
}

async function nkReadSteps(path: string): Promise<{ seconds: number }> {
  const t0 = performance.now();
  const ds = await openDataset(path);
  for (let k = 0; k < NT; k++) ds.readRaw('thk', { start: [k, 0, 0], count: [1, NY, NX] });
  ds.close();
  return { seconds: (performance.now() - t0) / 1000 };
}

const rows: string[] = [];
const row = (what: string, nk: number, peer: number) => {
  rows.push(`| ${what} | ${nk.toFixed(2)} s (${(MB / nk).toFixed(0)} MB/s) | ${peer.toFixed(2)} s (${(MB / peer).toFixed(0)} MB/s) | ${(peer / nk).toFixed(2)} |`);
  console.log(rows[rows.length - 1]);
};

try {
  await loadH5(); // h5wasm (the writer, and the forced-h5wasm read) starts outside the timings
  const nkPath = join(dir, 'nk.nc');
  const pyPath = join(dir, 'py.nc');
  const py3Path = join(dir, 'py3.nc');
  console.log(`${NT}×${NY}×${NX} float32 (${MB} MB), ${cpus().length} cores, ${cpus()[0]?.model}, Node ${process.version}, GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? ''}, load average ${loadAverage()}`);
  rows.push('| operation | nunatak | netCDF4-python | ratio (peer time / nunatak time) |', '|---|---|---|---|');
  const best = (xs: Array<{ seconds: number }>) => Math.min(...xs.map((r) => r.seconds));
  // Writes: 2 interleaved runs each, best kept.
  const wNk: number[] = [];
  const wPy: number[] = [];
  for (let rep = 0; rep < 2; rep++) {
    rmSync(nkPath, { force: true });
    rmSync(pyPath, { force: true });
    wNk.push(await nkWrite(nkPath));
    wPy.push(py('write', pyPath, String(NT), String(NY), String(NX), 'NETCDF4').seconds);
  }
  row(`write NetCDF4, ${NT} saves (open/append/close)`, Math.min(...wNk), Math.min(...wPy));
  console.log(`file sizes: nunatak ${statSync(nkPath).size} B, netCDF4-python ${statSync(pyPath).size} B`);
  // Reads: each side reads the file the other wrote, 3 interleaved runs, best kept.
  const rNk: Array<{ seconds: number; checksum: number }> = [];
  const rPy: Array<{ seconds: number; checksum?: number }> = [];
  const rWasm: Array<{ seconds: number; checksum: number }> = [];
  const rSteps: Array<{ seconds: number }> = [];
  for (let rep = 0; rep < 3; rep++) {
    rNk.push(await nkRead(pyPath));
    rPy.push(py('read', nkPath, 'thk'));
    rWasm.push(await nkRead(pyPath, 'h5wasm'));
    rSteps.push(await nkReadSteps(pyPath));
  }
  row("read NetCDF4 (other side's file), whole variable", best(rNk), best(rPy));
  row("read NetCDF4 (other side's file), whole variable, h5wasm forced", best(rWasm), best(rPy));
  rows.push(`| read NetCDF4, one hyperslab per time step (nunatak only) | ${best(rSteps).toFixed(2)} s (${(MB / best(rSteps)).toFixed(0)} MB/s) | | |`);
  const own = await nkRead(nkPath);
  for (const c of [rNk[0].checksum, rPy[0].checksum!, rWasm[0].checksum]) {
    if (Math.abs(own.checksum - c) / Math.abs(c) > 1e-9) throw new Error(`checksums differ: ${own.checksum} vs ${c}`);
  }
  rmSync(nkPath);
  rmSync(pyPath);
  py('write', py3Path, String(NT), String(NY), String(NX), 'NETCDF3_CLASSIC');
  const r3Nk: Array<{ seconds: number; checksum: number }> = [];
  const r3Py: Array<{ seconds: number; checksum?: number }> = [];
  for (let rep = 0; rep < 3; rep++) {
    r3Nk.push(await nkRead(py3Path));
    r3Py.push(py('read', py3Path, 'thk'));
  }
  row('read NetCDF3 classic, whole variable', best(r3Nk), best(r3Py));
  if (Math.abs(r3Nk[0].checksum - r3Py[0].checksum!) / Math.abs(r3Py[0].checksum!) > 1e-9) throw new Error('NetCDF3 checksums differ');
  console.log(`\nload average ${loadAverage()}\n` + rows.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
