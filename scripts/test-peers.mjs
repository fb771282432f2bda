// Debian "peers" some tests compare against (independent references): which
// test files need which, and which are missing on this machine. Used by
// run-tests.mjs so that a machine with Node only gets ONE clear message
// instead of dozens of scattered failures.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** peer → Debian package, how a test file shows it needs it, how to probe it. */
export const PEERS = [
  { name: 'ncdump', pkg: 'netcdf-bin', uses: /\bncdump\b/, probe: { cmd: 'ncdump' } },
  { name: 'redis-server', pkg: 'redis-server', uses: /redis-server/, probe: { cmd: 'redis-server' } },
  { name: 'GDAL', pkg: 'gdal-bin', uses: /\bgdal(info|_translate|_rasterize|warp)\b|gdal\(|\bogr(2ogr|info)\b/, probe: { cmd: 'gdalinfo' } },
  { name: 'python3 netCDF4', pkg: 'python3-netcdf4', uses: /netCDF4/, probe: { py: 'netCDF4' } },
  { name: 'python3 h5py', pkg: 'python3-h5py', uses: /\bh5py\b/, probe: { py: 'h5py' } },
  { name: 'python3 onnx', pkg: 'python3-onnx', uses: /\bimport onnx\b|\bonnx\.checker\b/, probe: { py: 'onnx' } },
  { name: 'python3 xarray', pkg: 'python3-xarray', uses: /\bxarray\b/, probe: { py: 'xarray' } },
  { name: 'python3 zarr', pkg: 'python3-zarr', uses: /\bopen_zarr\b|\bimport zarr\b/, probe: { py: 'zarr' } },
  { name: 'chromium', pkg: 'chromium', uses: /\bplaywright-core\b/, probe: { cmd: 'chromium' } },
  { name: 'python3 numpy', pkg: 'python3-numpy', uses: /\bnumpy\b|\bnp\./, probe: { py: 'numpy' } },
];

const PY = '/usr/bin/python3'; // the tests call this one, not a pyenv shim

function available(probe, path) {
  if (probe.cmd) {
    return (path ?? process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, probe.cmd)));
  }
  return existsSync(PY) && spawnSync(PY, ['-c', `import ${probe.py}`], { stdio: 'ignore' }).status === 0;
}

/** Text of a test file plus the helper .py/.ts files it names in its folder and test/helpers. */
function textOf(file) {
  let text = readFileSync(file, 'utf8');
  const dir = dirname(file);
  for (const f of readdirSync(dir)) {
    if ((f.endsWith('.py') || f.endsWith('-helpers.ts')) && text.includes(f.replace(/\.ts$/, ''))) text += readFileSync(join(dir, f), 'utf8');
  }
  if (text.includes('helpers/redis-server')) text += ' redis-server';
  return text;
}

/** Peers needed by `files` and missing here: [{peer, files}] (empty when all are there). */
export function missingPeers(files, opts = {}) {
  const out = [];
  for (const p of PEERS) {
    const need = files.filter((f) => p.uses.test(textOf(f)));
    if (need.length > 0 && !(opts.available ?? available)(p.probe, opts.path)) out.push({ peer: p, files: need });
  }
  return out;
}

/** The one line that says what to install. */
export function installLine(missing) {
  const pkgs = [...new Set(missing.map((m) => m.peer.pkg))];
  return `sudo apt-get install -y ${pkgs.join(' ')}`;
}
