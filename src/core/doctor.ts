/**
 * Environment checks behind `nunatak doctor`: tensor backends, ONNX Runtime,
 * the native kernels, the peers used by tests and benchmarks (Redis, ncdump, gdalinfo, Python with
 * numpy / netCDF4 / h5py / torch) and the CPU count. Each check says OK or
 * missing and how to fix it.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** How to fix it when not ok. */
  fix?: string;
  /** Optional checks do not make `doctor` fail. */
  optional?: boolean;
}

function which(cmd: string, args: string[] = ['--version']): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  if (r.error || r.status !== 0) return { ok: false, out: r.error?.message ?? (r.stderr || r.stdout || '').trim() };
  return { ok: true, out: (r.stdout || r.stderr || '').trim().split('\n')[0] };
}

export async function runChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  const { probeBackends, defaultBackend } = await import('./tensor/index.js');
  let def = 'wasm';
  try {
    def = defaultBackend();
  } catch (e) {
    checks.push({ name: 'NUNATAK_BACKEND', ok: false, detail: (e as Error).message, fix: 'unset it or set wasm|cpu' });
  }
  for (const b of await probeBackends()) {
    const browserOnly = b.name === 'webgpu' || b.name === 'webgl';
    checks.push({
      name: `tensor backend ${b.name}${b.name === def ? ' (default)' : ''}`,
      ok: b.ok,
      detail: b.detail,
      fix: browserOnly ? 'available in a browser build (onnxruntime-web / tfjs-backend-webgpu)' : 'run npm ci',
      optional: browserOnly,
    });
  }
  try {
    const ort = await import('onnxruntime-node');
    const { onnxProviders } = await import('./onnx/session.js');
    const provs = onnxProviders();
    const usable = provs.filter((p) => p.usable).map((p) => p.name);
    const other = provs.filter((p) => !p.usable).map((p) => p.name);
    checks.push({
      name: 'onnxruntime-node',
      ok: usable.includes('cpu'),
      detail:
        `version ${ort.env.versions.node ?? ort.env.versions.common}; providers bundled: ${usable.join(', ')}` +
        (other.length > 0 ? `; compiled in but not installed: ${other.join(', ')}` : ''),
      fix: 'run npm ci (the package ships its CPU binaries; GPU providers need the CUDA libraries)',
    });
  } catch (e) {
    checks.push({ name: 'onnxruntime-node', ok: false, detail: (e as Error).message, fix: 'run npm ci (the package ships its CPU binaries)' });
  }
  {
    // Native kernels: ONNX Runtime's MLAS under TF.js wasm's matmul/conv kernels (src/core/native, src/core/tensor/kernels/native).
    const { nativeAvailable, nativeUnavailableReason, nativeThreads } = await import('./native/sync-session.js');
    const { nativeKernelOptions } = await import('./tensor/kernels/native/control.js');
    let threads: string;
    try {
      threads = `${nativeThreads()} threads`;
    } catch (e) {
      threads = (e as Error).message;
    }
    const on = nativeAvailable() && nativeKernelOptions().enabled;
    checks.push({
      name: 'native kernels (ONNX Runtime under TF.js wasm)',
      ok: on,
      detail: on ? `on: matmul and conv (+ gradients) via MLAS, ${threads} (NUNATAK_THREADS), ops ≥ ${nativeKernelOptions().minFlops.toExponential(0)} flops` : `off: ${nativeUnavailableReason() || 'disabled'}; TF.js wasm kernels are used`,
      fix: 'unset NUNATAK_NATIVE (or set it to 1) and run npm ci',
      optional: true,
    });
  }
  const redis = which('redis-server', ['--version']);
  checks.push({
    name: 'redis-server (distributed executor, tests)',
    ok: redis.ok,
    detail: redis.ok ? redis.out : 'not found',
    fix: 'apt-get install redis-server',
    optional: true,
  });
  const ncdump = spawnSync('ncdump', [], { encoding: 'utf8' });
  const ncOk = !ncdump.error;
  checks.push({
    name: 'ncdump (NetCDF interop tests)',
    ok: ncOk,
    detail: ncOk ? ((ncdump.stderr || '').match(/netcdf library version [^\s]+/)?.[0] ?? 'found') : 'not found',
    fix: 'apt-get install netcdf-bin',
    optional: true,
  });
  const gdal = which('gdalinfo', ['--version']);
  checks.push({ name: 'gdalinfo (GeoTIFF interop tests)', ok: gdal.ok, detail: gdal.ok ? gdal.out : 'not found', fix: 'apt-get install gdal-bin', optional: true });
  const chromium = which('chromium', ['--version']);
  checks.push({ name: 'chromium (nunatak view browser tests)', ok: chromium.ok, detail: chromium.ok ? chromium.out : 'not found', fix: 'apt-get install chromium', optional: true });
  const py = which('/usr/bin/python3', ['--version']);
  checks.push({ name: '/usr/bin/python3 (peers)', ok: py.ok, detail: py.ok ? py.out : 'not found', fix: 'apt-get install python3', optional: true });
  if (py.ok) {
    for (const [mod, pkg] of [
      ['numpy', 'python3-numpy'],
      ['netCDF4', 'python3-netcdf4'],
      ['h5py', 'python3-h5py'],
      ['xarray', 'python3-xarray'],
      ['zarr', 'python3-zarr'],
      ['onnx', 'python3-onnx'],
      ['torch', 'python3-torch'],
    ]) {
      const r = which('/usr/bin/python3', ['-c', `import ${mod}; print(${mod}.__version__)`]);
      checks.push({ name: `python ${mod}`, ok: r.ok, detail: r.ok ? r.out : 'not importable', fix: `apt-get install ${pkg}`, optional: true });
    }
  }
  checks.push({ name: 'CPU', ok: true, detail: `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown model'})` });
  return checks;
}

/** Render checks as aligned lines: `OK      name: detail` / `missing name: detail (fix: …)`. */
export function formatChecks(checks: Check[]): string {
  const w = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map((c) => `${c.ok ? 'OK     ' : 'missing'}  ${c.name.padEnd(w)}  ${c.detail}${!c.ok && c.fix ? `  (fix: ${c.fix})` : ''}`)
    .join('\n');
}
