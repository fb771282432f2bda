// `nunatak doctor` reports the native kernels: on with a thread count here,
// off with the reason under NUNATAK_NATIVE=0 (optional: exit status stays 0),
// and a bad NUNATAK_THREADS is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const doctor = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['bin/nunatak.js', 'doctor'], { encoding: 'utf8', timeout: 120000, env: { ...process.env, ...env } });

test('doctor: native kernels on, with threads', () => {
  const r = doctor({ NUNATAK_THREADS: '3' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /OK\s+native kernels \(ONNX Runtime under TF\.js wasm\)\s+on: .*3 threads/);
});

test('doctor: NUNATAK_NATIVE=0 reports the native kernels off and why', () => {
  const r = doctor({ NUNATAK_NATIVE: '0' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /missing\s+native kernels .*off: disabled by NUNATAK_NATIVE=0/);
});

test('doctor: a bad NUNATAK_THREADS is named', () => {
  const r = doctor({ NUNATAK_THREADS: 'many' });
  assert.match(r.stdout, /native kernels .*NUNATAK_THREADS must be a positive integer, got 'many'/);
});
