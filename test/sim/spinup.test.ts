// processes.spinup on a small synthetic valley glacier with HISTALP climate:
// the temperature offset it finds gives the target length at the run's start
// (checked by rerunning the spin-up physics at that offset, an independent
// forward run, and by the run's own first saved length), the run starts from
// that state, and a target out of reach is a clear error naming the setting
// and the reachable range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.ts';
import { glacierLength, headCell } from '../../src/sim/spinup/glacier-length.ts';
import { solveDecreasing } from '../../src/sim/spinup/bracket.ts';
import { makeExperiment } from './engine-helpers.ts';
import { isNunatakErrorLike } from './helpers.ts';

const HISTALP = join(process.cwd(), 'data/hintereisferner/histalp_merged_hef.nc');
const DX = 200;

// a valley 8 km long falling from 3500 m at 10 %, 20 m of ice everywhere at the start (the whole
// valley: the spin-up climate shrinks it to the target);
// clim/smb_ti near Hintereisferner's calibration; spin-up 1930–1950, run 1950–1953
function experiment(spinup: string): string {
  return makeExperiment({
    'exp.yaml':
      'defaults:\n  - override /inputs: [synthetic]\n  - override /processes: [clim, spinup, smb_ti, iceflow, time, thk]\n  - override /outputs: [length_area]\n' +
      `inputs:\n  synthetic: {type: valley, nx: 40, ny: 12, dx: ${DX}, z0: 3500, slope: 0.1, width: 1000, thk0: 20}\n` +
      `processes:\n  clim: {file: ${HISTALP}, lon: 10.75, lat: 46.8, temp_bias: 1.5, prcp_fac: 2.0}\n  smb_ti: {melt_f: 3.2}\n` +
      `  spinup: {start: 1930, ${spinup}}\n  time: {start: 1950, end: 1953, save: 1}\n` +
      'sim: {progress: false}\n',
  });
}

/** [year, length_m] rows of length_area.csv. */
function lengths(out: string): number[][] {
  return readFileSync(join(out, 'length_area.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number)).map((r) => [r[0], r[2]]);
}

test('spinup: dT gives the target length at time.start (tolerance one cell, 200 m) and the run starts from that state', async () => {
  const root = experiment('dt_range: [-3, 3], target_dl: -2500');
  const out = join(root, 'run');
  await runExperiment({ experiment: join(root, 'exp.yaml'), outDir: out });
  const rows = readFileSync(join(out, 'spinup.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const chosen = rows.find((r) => r[3] === 1) as number[];
  const [dT, length, target] = chosen;
  assert.ok(Math.abs(length - target) <= DX, `spun-up length ${length} m vs target ${target} m`);
  // the two ends bracket the target: the coldest is longer, the warmest shorter
  assert.ok(rows[0][1] > target && rows[1][1] < target, `ends ${rows[0][1]} / ${rows[1][1]} m`);
  // the start geometry (20 m on the whole valley) is 2500 m longer than the target
  assert.ok(dT > -3 && dT < 3, `dT ${dT}`);
  // the run's first saved state (t = 1950) is the spun-up glacier: same length
  const la = lengths(out);
  assert.equal(la[0][0], 1950);
  assert.ok(Math.abs(la[0][1] - length) < 1e-6, `first saved length ${la[0][1]} vs spun-up ${length}`);
  // an independent check of the chosen dT: the same physics run 1930–1950 with clim.temp_bias + dT and no spin-up
  const plain = join(root, 'plain');
  await runExperiment({
    experiment: join(root, 'exp.yaml'), outDir: plain,
    overrides: ['processes=[clim,smb_ti,iceflow,time,thk]', 'processes.time.start=1930', 'processes.time.end=1950', 'processes.time.save=20', `processes.clim.temp_bias=${1.5 + dT}`],
  });
  const p = lengths(plain);
  assert.equal(p[p.length - 1][0], 1950);
  assert.ok(Math.abs(p[p.length - 1][1] - length) < 1e-6, `plain run to 1950: ${p[p.length - 1][1]} m vs spin-up ${length} m`);
});

test('spinup: a target out of reach names processes.spinup.dt_range and the reachable length changes', async () => {
  const root = experiment('dt_range: [-0.5, 0.5], target_dl: 5000');
  await assert.rejects(runExperiment({ experiment: join(root, 'exp.yaml'), outDir: join(root, 'run') }), (e) =>
    isNunatakErrorLike(e, 'INPUT', /target length change 5000 m .* out of reach with processes\.spinup\.dt_range = \[-0\.5, 0\.5\] K: the spin-up from 1930 gives length changes -?\d+ to -?\d+ m/));
  // out_of_reach: closest keeps the coldest end (the longest glacier) instead
  const closest = experiment('dt_range: [-0.5, 0.5], target_dl: 5000, out_of_reach: closest');
  await runExperiment({ experiment: join(closest, 'exp.yaml'), outDir: join(closest, 'run') });
  const rows = readFileSync(join(closest, 'run', 'spinup.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.deepEqual(rows.map((r) => [r[0], r[3]]), [[-0.5, 1], [0.5, 0]]);
  const bad = experiment('dt_range: [1, -1], target_dl: 0');
  await assert.rejects(runExperiment({ experiment: join(bad, 'exp.yaml'), outDir: join(bad, 'run') }), (e) => isNunatakErrorLike(e, 'CONFIG', /processes\.spinup\.dt_range = \[1, -1\]/));
  const late = experiment('dt_range: [-1, 1], target_dl: 0, bias_end: 1960');
  await assert.rejects(runExperiment({ experiment: join(late, 'exp.yaml'), outDir: join(late, 'run') }), (e) => isNunatakErrorLike(e, 'CONFIG', /processes\.spinup\.bias_end = 1960: expected a year after processes\.spinup\.start = 1930 and not after processes\.time\.start = 1950/));
  const none = experiment('dt_range: [-1, 1]');
  await assert.rejects(runExperiment({ experiment: join(none, 'exp.yaml'), outDir: join(none, 'run') }), (e) => isNunatakErrorLike(e, 'CONFIG', /processes\.spinup needs target_dl, or observed and ref_year/));
});

test('spinup with bias_end: dT only up to 1940, the calibrated climate after; target met within one cell', async () => {
  const root = experiment('dt_range: [-3, 3], target_dl: -2500, bias_end: 1940');
  const out = join(root, 'run');
  await runExperiment({ experiment: join(root, 'exp.yaml'), outDir: out });
  const rows = readFileSync(join(out, 'spinup.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const [, length, target] = rows.find((r) => r[3] === 1) as number[];
  assert.ok(Math.abs(length - target) <= DX, `spun-up length ${length} m vs target ${target} m`);
  assert.ok(Math.abs(lengths(out)[0][1] - length) < 1e-6);
});

test('spinup solver: false position on a step function and a smooth one, against the known roots', async () => {
  // smooth: y = 1000 − 300 x, target 550 → x = 1.5
  const s = await solveDecreasing(async (x) => ({ y: 1000 - 300 * x, data: null }), { lo: -2, hi: 3, target: 550, tol: 1, xtol: 1e-6, maxEvals: 20 });
  assert.ok(s.converged && Math.abs(s.best.x - 1.5) < 1 / 300, `${s.best.x}`);
  // steps of 100 (a gridded length): any x with |y − 430| ≤ 100 is accepted
  const f = async (x: number) => ({ y: 100 * Math.floor(10 - 2 * x), data: null });
  const r = await solveDecreasing(f, { lo: -1, hi: 4, target: 430, tol: 100, xtol: 1e-3, maxEvals: 20 });
  assert.ok(r.converged && Math.abs(r.best.y - 430) <= 100, `${r.best.y}`);
  const o = await solveDecreasing(f, { lo: 0, hi: 1, target: 2000, tol: 100, xtol: 1e-3, maxEvals: 20 });
  assert.deepEqual(o.outside, { min: 800, max: 1000 });
});

test('glacier length: through ice beyond the outline, from the highest ice cell', () => {
  // a 1 × 5 strip, mask on the first 3 cells, ice on 4: the path steps onto the ice outside the mask
  const g = { nx: 5, ny: 1, dx: 100, dy: 100 };
  const thk = Float32Array.of(50, 40, 30, 20, 0);
  const usurf = Float32Array.of(3000, 2900, 2800, 2700, 2600);
  const mask = Float32Array.of(1, 1, 1, 0, 0);
  const head = headCell(thk, usurf, mask, 1);
  assert.equal(head, 0);
  assert.equal(glacierLength(g, thk, mask, head, 1), 300);
  thk[3] = 0.5; // thinner than min_thk: not glacier
  assert.equal(glacierLength(g, thk, mask, head, 1), 200);
});
