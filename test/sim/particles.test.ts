/**
 * particles: bilinear interpolation is exact for linear fields; in a uniform
 * flow (u = 10 m/a, v = −4 m/a, prescribed by a user process) each particle
 * moves exactly (u, v)·(t − t_seed) (forward Euler is exact for constant
 * velocity; tolerance 0.01 m, the CSV precision), particles leaving the grid
 * are dropped, and the NetCDF format holds the same particles (read by netCDF4-python).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { bilinear } from '../../src/sim/modules/processes/particles.js';
import { SimState } from '../../src/sim/state.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

test('bilinear interpolation reproduces a linear field exactly', () => {
  const s = new SimState(makeGrid({ nx: 5, ny: 4, x0: 100, y0: 50, dx: 10, dy: 20 }));
  const f = s.ensure('q');
  for (let j = 0; j < 4; j++) for (let i = 0; i < 5; i++) f.data[j * 5 + i] = 3 * (100 + 10 * i) - 2 * (50 + 20 * j) + 7;
  for (const [x, y] of [[100, 50], [137.5, 91], [140, 110], [121, 60]]) assert.ok(Math.abs(bilinear(s, f.data, x, y) - (3 * x - 2 * y + 7)) < 1e-3);
  assert.ok(Number.isNaN(bilinear(s, f.data, 99, 60)));
});

test('particles in a uniform flow move by (u, v)·age and leave through the border', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ processes: ['flow', 'time', 'particles'], time: 'start: 0, end: 60, save: 20, step_max: 2.5', procs: '  particles: {seeding: {frequency: 100, density: 0.5}}\n' }),
    'user/code/processes/flow.ts':
      'export const fields = { reads: ["thk"], writes: ["ubar", "vbar", "smb", "velbar_mag"] };\n' +
      'export function initialize(_c: any, s: any) { for (const n of ["ubar", "vbar", "smb", "velbar_mag"]) s.ensure(n); s.get("thk").data.fill(100); s.get("ubar").data.fill(10); s.get("vbar").data.fill(-4); s.get("smb").data.fill(1); s.get("velbar_mag").data.fill(Math.hypot(10, 4)); }\n' +
      'export function update() {}\nexport function finalize() {}\n',
  });
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out, overrides: ['processes.particles.velocity=bar'] });
  const files = readdirSync(join(out, 'trajectories')).sort();
  assert.deepEqual(files, ['traj-0.csv', 'traj-20.csv', 'traj-40.csv', 'traj-60.csv']);
  const read = (f: string) => readFileSync(join(out, 'trajectories', f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const start = new Map(read('traj-0.csv').map((r) => [r[0], r]));
  assert.equal(start.size, 15 * 8); // every second cell of 30 × 15
  const end = read('traj-60.csv');
  assert.ok(end.length > 0 && end.length < start.size, 'some particles left the grid');
  for (const r of end) {
    const s0 = start.get(r[0])!;
    assert.ok(Math.abs(r[1] - (s0[1] + 10 * 60)) < 0.01 && Math.abs(r[2] - (s0[2] - 4 * 60)) < 0.01, `particle ${r[0]}`);
  }
  // the same run with format netcdf: netCDF4-python reads the same particles
  const outNc = join(root, 'nc');
  await runExperiment({ experiment: root, outDir: outNc, overrides: ['processes.particles.velocity=bar', 'processes.particles.format=netcdf'] });
  const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, netCDF4\nd = netCDF4.Dataset(sys.argv[1])\nprint(json.dumps([d[v][:].tolist() for v in ("id", "x", "y")]))', join(outNc, 'trajectories', 'traj-60.nc')], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const [ids, xs, ys] = JSON.parse(py.stdout) as number[][];
  assert.deepEqual(ids, end.map((r) => r[0]));
  ids.forEach((_, k) => assert.ok(Math.abs(xs[k] - end[k][1]) <= 0.005 && Math.abs(ys[k] - end[k][2]) <= 0.005));
});
