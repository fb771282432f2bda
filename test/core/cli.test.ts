import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('nunatak --help lists the doctor command and exits 0', () => {
  const r = spawnSync(process.execPath, ['bin/nunatak.js', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /doctor/);
});

test('nunatak doctor reports the default backend and ONNX Runtime', () => {
  const r = spawnSync(process.execPath, ['bin/nunatak.js', 'doctor'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /OK\s+tensor backend wasm \(default\)/);
  assert.match(r.stdout, /OK\s+tensor backend cpu/);
  assert.match(r.stdout, /OK\s+onnxruntime-node\s+version \d+\.\d+/);
  assert.match(r.stdout, /CPU\s+\d+ cores/);
});

test('nunatak doctor --json emits parseable checks', () => {
  const r = spawnSync(process.execPath, ['bin/nunatak.js', '--json', 'doctor'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const checks = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(Array.isArray(checks) && checks.some((c: { name: string }) => c.name.startsWith('tensor backend wasm')));
});
