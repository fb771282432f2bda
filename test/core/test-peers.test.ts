/**
 * The test runner on a machine without the Debian peers: one message naming
 * the packages and an exit at once, or (NUNATAK_SKIP_PEERS=1) one SKIPPED
 * line; NUNATAK_REQUIRE_PEERS=1 (CI) forbids the skip. The peers are hidden
 * by running with an empty PATH (ncdump, gdalinfo not found).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
// @ts-expect-error plain .mjs script without types
import { missingPeers } from '../../scripts/test-peers.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/io/inspect.test.ts'], { cwd: ROOT, encoding: 'utf8', env: { HOME: process.env.HOME ?? '/', PATH: '', ...env } });

test('every peer the tests use is found in some test file', () => {
  const found = (missingPeers as (f: string[], o: object) => Array<{ peer: { pkg: string } }>)(['test/io/inspect.test.ts', 'test/exec/distributed.test.ts', 'test/sim/ncdf-outputs.test.ts'].map((f) => resolve(ROOT, f)), { available: () => false });
  for (const pkg of ['netcdf-bin', 'gdal-bin', 'redis-server', 'python3-netcdf4', 'python3-numpy']) assert.ok(found.some((m) => m.peer.pkg === pkg), pkg);
});

test('missing peers: the runner fails at once with the apt-get line', () => {
  const r = run({});
  assert.equal(r.status, 1);
  assert.match(r.stderr, /missing test peers: ncdump \(1 file\), GDAL \(1 file\)/);
  assert.match(r.stderr, /sudo apt-get install -y netcdf-bin gdal-bin/);
  assert.doesNotMatch(r.stdout, /^# Subtest/m, 'no test ran');
});

test('NUNATAK_SKIP_PEERS=1: one SKIPPED line; NUNATAK_REQUIRE_PEERS=1 (CI) turns it into a failure', () => {
  const skip = run({ NUNATAK_SKIP_PEERS: '1' });
  assert.equal(skip.status, 0, skip.stderr);
  assert.equal(skip.stderr.match(/\*\*\* SKIPPED/g)?.length, 1);
  assert.match(skip.stderr, /SKIPPED 1 peer-interop test file: missing ncdump \(1 file\), GDAL \(1 file\); install with: sudo apt-get install -y netcdf-bin gdal-bin/);
  const ci = run({ NUNATAK_SKIP_PEERS: '1', NUNATAK_REQUIRE_PEERS: '1' });
  assert.equal(ci.status, 1);
  assert.match(ci.stderr, /nothing may be skipped/);
});
