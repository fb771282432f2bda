/**
 * iceflow method `solved` in a run: a small valley (20×10 cells, 300 m) with
 * Blatter–Pattyn velocities every step; output.nc carries U, V on a `zeta`
 * level axis (read back with netCDF4-python: dims, CF attributes, level
 * values from bpLevels), ubar and velsurf_mag are finite, nonzero on the
 * ice and zero off it, and U at the surface level equals uvelsurf. Bad
 * settings (Nz < 2 or not an integer, vert_spacing ≤ 0) are refused naming
 * the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { bpLevels } from '../../src/sim/physics/bp/index.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const exp = (iceflow: string) => ({
  'experiment.yaml': valleyYaml({
    outputs: ['write_ncdf'],
    time: 'start: 0, end: 4, save: 2',
    procs: `  smb_simple: {ela: 2900, update_freq: 0}\n  iceflow: {method: solved, ${iceflow}}\n`,
    extra: 'outputs:\n  write_ncdf: {vars_to_save: [thk, U, V, ubar, vbar, uvelsurf, velsurf_mag, uvelbase]}\n',
  }).replace('nx: 30, ny: 15, dx: 200', 'nx: 20, ny: 10, dx: 300, thk0: 80'),
});

test('method solved: a short valley run writes U, V on a zeta axis and the 2-D velocities', async () => {
  const root = makeExperiment(exp('Nz: 5, no_slip: true'));
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  assert.equal(spawnSync('ncdump', ['-h', join(out, 'output.nc')], { encoding: 'utf8' }).status, 0);
  const r = spawnSync('/usr/bin/python3', ['-c', `
import json, sys, numpy as np, netCDF4
a = netCDF4.Dataset(sys.argv[1])
U = a['U']; z = a['zeta']
thk = a['thk'][-1].filled(0); us = a['uvelsurf'][-1].filled(np.nan); ub = a['ubar'][-1].filled(np.nan)
Ul = U[-1].filled(np.nan)
print(json.dumps(dict(dims=list(U.dimensions), zeta=z[:].tolist(), zattrs={k: str(z.getncattr(k)) for k in z.ncattrs()},
  units=U.units, ice=int((thk > 0).sum()), ubmax=float(np.abs(ub[thk > 0]).max()), office=float(np.abs(ub[thk <= 0]).max() if (thk <= 0).any() else 0),
  surfdiff=float(np.nanmax(np.abs(Ul[-1] - us))), finite=bool(np.isfinite(Ul).all()), ntime=len(a['time']))))
`, join(out, 'output.nc')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.deepEqual(o.dims, ['time', 'zeta', 'y', 'x']);
  assert.equal(o.ntime, 3);
  assert.equal(o.units, 'm a-1');
  const ref = bpLevels(5, 4);
  o.zeta.forEach((v: number, k: number) => assert.ok(Math.abs(v - ref[k]) < 1e-12));
  assert.equal(o.zattrs.positive, 'up');
  assert.equal(o.zattrs.axis, 'Z');
  assert.ok(o.ice > 0);
  assert.ok(o.finite);
  assert.ok(o.ubmax > 0.1, `ubar max ${o.ubmax}`);
  assert.equal(o.office, 0);
  assert.ok(o.surfdiff < 1e-5, `surface level vs uvelsurf ${o.surfdiff}`);
});

for (const [set, re] of [
  ['Nz: 1', /processes\.iceflow\.Nz must be an integer ≥ 2/],
  ['Nz: 2.5', /processes\.iceflow\.Nz = 2.5 is not a valid integer/],
  ['vert_spacing: 0', /processes\.iceflow\.vert_spacing must be > 0/],
  ['solver_nbitmax: 0', /processes\.iceflow\.solver_nbitmax/],
] as const) {
  test(`method solved refuses ${set}`, async () => {
    const root = makeExperiment(exp(set));
    await assert.rejects(runExperiment({ experiment: root, outDir: join(root, 'o') }), re);
  });
}

test('method solved: a solve cut short stops the run naming the settings (on_fail error)', async () => {
  const root = makeExperiment(exp('Nz: 5, no_slip: true, solver_nbitmax: 2, solver_gtol: 0, solver_rtol: 0'));
  await assert.rejects(runExperiment({ experiment: root, outDir: join(root, 'o') }), (e: Error & { hint?: string }) => /did not converge/.test(e.message) && /solver_nbitmax/.test(e.hint ?? ''));
});
