/**
 * output_ts.nc carries the mass budget per save interval (m³ of ice):
 * smb_volume, outflow_volume, clipped_volume. Read back with netCDF4-python,
 * the volume change between saves closes the budget:
 * (vol[k] − vol[k−1])·1e9 = smb − outflow + clipped, to 1e-6 of the SMB
 * volume turned over in the interval (vol is a float32 thickness sum).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

test('output_ts.nc (ELA below the valley, ice leaving the domain): Δvol between saves = smb_volume − outflow_volume + clipped_volume (1e-6 of |smb|)', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ outputs: ['write_ts'], time: 'start: 0, end: 60, save: 10', procs: '  smb_simple: {ela: 2500, update_freq: 0}\n' }),
  });
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  const r = spawnSync('/usr/bin/python3', ['-c', `
import sys, json, netCDF4
d = netCDF4.Dataset(sys.argv[1])
print(json.dumps({k: d[k][:].tolist() for k in ['vol', 'smb_volume', 'outflow_volume', 'clipped_volume']} | {'units': d['smb_volume'].units}))
`, join(out, 'output_ts.nc')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const b = JSON.parse(r.stdout) as { vol: number[]; smb_volume: number[]; outflow_volume: number[]; clipped_volume: number[]; units: string };
  assert.equal(b.units, 'm3');
  assert.equal(b.vol.length, 7);
  assert.deepEqual([b.smb_volume[0], b.outflow_volume[0], b.clipped_volume[0]], [0, 0, 0]);
  for (let k = 1; k < b.vol.length; k++) {
    const dv = (b.vol[k] - b.vol[k - 1]) * 1e9;
    const budget = b.smb_volume[k] - b.outflow_volume[k] + b.clipped_volume[k];
    assert.ok(Math.abs(b.smb_volume[k]) > 0, `save ${k}: the SMB turns over ice`);
    assert.ok(Math.abs(dv - budget) <= 1e-6 * Math.max(Math.abs(b.smb_volume[k]), 1), `save ${k}: Δvol ${dv} m³ vs budget ${budget} m³ (smb ${b.smb_volume[k]}, outflow ${b.outflow_volume[k]}, clipped ${b.clipped_volume[k]})`);
  }
  // ELA below the valley: ice reaches the border, so the outflow term is exercised (≈ 2.9e6 m³ here).
  assert.ok(b.outflow_volume.reduce((a, v) => a + v, 0) > 1e5, 'ice leaves the domain');
});
