/**
 * The inversion end to end on a small twin (valley glacier, 20 × 9 cells of
 * 500 m) written as an observation NetCDF: `nunatak invert`'s runner
 * in-process (files written, ncdump reads optimize.nc, topg = usurf − thk,
 * one costs.csv row per iteration), the command's --help in a subprocess
 * and its option parsing, the `optimize` sim module with obs_file (the state's
 * thk/topg come from the inversion), and observations on another grid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeGrid } from '../../../src/core/field/grid.js';
import { createNetcdf, openDataset } from '../../../src/io/netcdf/index.js';
import { runExperiment } from '../../../src/sim/run.js';
import { readObservations } from '../../../src/sim/invert/read.js';
import { parseInvertOptions, runInvert } from '../../../src/sim/invert/run-invert.js';
import { invertOptionSpecs } from '../../../src/sim/invert/option-specs.js';
import { INVERSION_DEFAULTS } from '../../../src/sim/invert/options.js';
import { twinSteadyState } from '../../../src/sim/invert/twin.js';
import { makeExperiment } from '../engine-helpers.js';
import { noisyObservations } from './twin-helpers.js';

const BIN = resolve('bin/nunatak.js');
const nx = 20;
const ny = 9;
const dx = 500;
const grid = { nx, ny, dx, dy: dx };
const topg = new Float32Array(nx * ny);
const allow = new Float32Array(nx * ny);
for (let j = 0; j < ny; j++) {
  for (let i = 0; i < nx; i++) {
    const y = (j - (ny - 1) / 2) * dx;
    topg[j * nx + i] = 3400 - 0.1 * i * dx + 500 * (y / 2000) ** 2;
    allow[j * nx + i] = Math.abs(y) < 1900 && i > 0 && i < nx - 3 ? 1 : 0;
  }
}
const truth = twinSteadyState({ grid, topg, ela: 3200, gradabl: 0.009, gradacc: 0.005, accmax: 1, years: 400, icemask: allow });
const obs = noisyObservations(truth, grid, 5, 7);

async function writeObs(path: string, g = makeGrid({ nx, ny, x0: 0, y0: 0, dx, dy: dx })): Promise<void> {
  const vars = { usurf: obs.usurfobs, icemask: obs.icemask, uvelsurfobs: obs.uvelsurfobs!, vvelsurfobs: obs.vvelsurfobs!, thkobs: obs.thkobs!, smb: obs.smb!, dhdt: obs.dhdt! };
  const w = await createNetcdf(path, { grid: g, variables: Object.keys(vars).map((name) => ({ name, dtype: 'float32' as const, units: 'm' })) });
  for (const [k, v] of Object.entries(vars)) w.write(k, Float32Array.from(v));
}

test('runInvert (what nunatak invert runs) writes optimize.nc (ncdump-readable, topg = usurf − thk), costs.csv and the PNGs', async () => {
  const root = makeExperiment({});
  await writeObs(join(root, 'obs.nc'));
  // in-process: a subprocess would pay the TypeScript and HDF5 start-up again (the CLI wiring is tested below)
  const { result } = await runInvert(join(root, 'obs.nc'), join(root, 'inv'), parseInvertOptions({ nbitmax: '150', control: 'thk,usurf' }));
  for (const f of ['optimize.nc', 'costs.csv', 'thk.png', 'topg.png', 'velsurf_mag.png', 'costs.png']) assert.ok(existsSync(join(root, 'inv', f)), f);
  const dump = spawnSync('ncdump', ['-h', join(root, 'inv', 'optimize.nc')], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  for (const v of ['float thk(y, x)', 'float topg(y, x)', 'float velsurf_mag(y, x)', 'float divfluxobs(y, x)']) assert.ok(dump.stdout.includes(v), v);
  const ds = await openDataset(join(root, 'inv', 'optimize.nc'));
  const thk = ds.read('thk', undefined, 'float32').data as Float32Array;
  const topgInv = ds.read('topg', undefined, 'float32').data as Float32Array;
  const usurf = ds.read('usurf', undefined, 'float32').data as Float32Array;
  ds.close();
  let thick = 0;
  for (let k = 0; k < thk.length; k++) {
    assert.ok(Math.abs(topgInv[k] - (usurf[k] - thk[k])) < 1e-3, `topg at ${k}`);
    assert.ok(thk[k] >= 0);
    if (obs.icemask[k] > 0.5) thick += thk[k];
    else assert.equal(thk[k], 0);
  }
  assert.ok(thick > 0);
  const csv = readFileSync(join(root, 'inv', 'costs.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'iteration,velsurf,thk,usurf,divflux,regu_thk,regu_slidingco,convexity,total');
  assert.equal(csv.length, result.iterations + 2);
  const total = (row: string) => Number(row.split(',').at(-1));
  assert.ok(total(csv.at(-1)!) < total(csv[1]), 'the cost went down');
});

test('nunatak invert: --help lists every option with units and default; a bad option value names the option', () => {
  const h = spawnSync(process.execPath, [BIN, 'invert', '--help'], { encoding: 'utf8' });
  assert.equal(h.status, 0, h.stderr);
  const help = h.stdout.replace(/\s+/g, ' ');
  for (const [key] of invertOptionSpecs()) assert.ok(help.includes(`--${key.replace(/_/g, '-')} <`), key);
  assert.ok(help.includes('[m a-1] (default: 1)') && help.includes('Example:'));
  // the option parsing the command runs (in-process: one subprocess start-up is enough)
  assert.throws(() => parseInvertOptions({ nbitmax: 'many' }), /command line: --nbitmax = 'many' is not a valid integer/);
});

test('optimize sim module: inverts on its first update from the input surface and obs_file; thk and topg follow', async () => {
  const root = makeExperiment({
    'experiment.yaml':
      'defaults:\n  - override /inputs: [local]\n  - override /processes: [optimize, time]\n  - override /outputs: [write_ncdf]\n' +
      'inputs:\n  local: {type: netcdf, filename: obs.nc}\n' +
      'processes:\n  optimize: {obs_file: obs.nc, nbitmax: 150}\n  time: {start: 0, end: 0, save: 1}\n' +
      'outputs:\n  write_ncdf: {vars_to_save: [thk, topg, usurf, usurfobs]}\nsim: {progress: false}\n',
  });
  await writeObs(join(root, 'obs.nc'));
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  assert.ok(existsSync(join(out, 'optimize.nc')) && existsSync(join(out, 'costs.csv')));
  const ds = await openDataset(join(out, 'output.nc'));
  const thk = ds.read('thk', undefined, 'float32').data as Float32Array;
  const topgOut = ds.read('topg', undefined, 'float32').data as Float32Array;
  const usurf = ds.read('usurf', undefined, 'float32').data as Float32Array;
  ds.close();
  let se = 0;
  let n = 0;
  let mean = 0;
  for (let k = 0; k < thk.length; k++) {
    assert.ok(Math.abs(topgOut[k] - (usurf[k] - thk[k])) < 1e-3);
    if (truth.icemask[k] > 0.5) {
      se += (thk[k] - truth.thk[k]) ** 2;
      mean += truth.thk[k];
      n++;
    }
  }
  // a coarse, short inversion: recovered, not perfect
  assert.ok(Math.sqrt(se / n) < 0.3 * (mean / n), `RMSE ${Math.sqrt(se / n)} m, mean ${mean / n} m`);
});

test('observations on another grid: the error names the file, the variable and both grids', async () => {
  const root = makeExperiment({});
  const f = join(root, 'shifted.nc');
  await writeObs(f, makeGrid({ nx, ny, x0: 250, y0: 0, dx, dy: dx }));
  await assert.rejects(readObservations(f, makeGrid({ nx, ny, x0: 0, y0: 0, dx, dy: dx })), (e: Error) => {
    assert.equal(e.name, 'NunatakError');
    assert.match(e.message, /shifted\.nc: variable 'usurf' is on 9×20 cells of 500×500 m from \(250, 0\), but the model grid is 9×20 cells of 500×500 m from \(0, 0\)/);
    return true;
  });
});

test('the optimize module YAML (CLI options and --help) and the library defaults agree', () => {
  assert.deepEqual(parseInvertOptions({}), INVERSION_DEFAULTS);
  assert.deepEqual(parseInvertOptions({ control: 'thk,slidingco', rtol: '1e-5' }).control, ['thk', 'slidingco']);
});
