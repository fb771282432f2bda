// Monthly temperature-index SMB (smb_ti / clim): a hand-computed month, the
// AssemblyScript kernel against its TypeScript twin, the HISTALP reader, the
// calibration recovering known parameters from synthetic observations made by
// the model itself, and the bad-input errors (missing variables, years not
// covered, no overlapping observations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNunatakErrorLike } from './helpers.ts';
import { smbTi, TI_DEFAULTS, DAYS_PER_MONTH, tiScale } from '../../src/sim/physics/smb-ti.ts';
import { smbTiWasm } from '../../src/sim/physics/smb-ti-wasm.ts';
import { readMonthlyClimate, climateOf, balanceYears } from '../../src/sim/climate/monthly-climate.ts';
import { calibrateTI, glacierWideBalance } from '../../src/sim/climate/calibrate-ti.ts';
import { SimState } from '../../src/sim/state.ts';
import { makeGrid } from '../../src/core/field/grid.ts';
import * as clim from '../../src/sim/modules/processes/clim.ts';
import type { SimConfig } from '../../src/sim/contract.ts';

const HISTALP = fileURLToPath(new URL('../../data/netcdf/histalp_merged_hef.nc', import.meta.url));

test('smb_ti: one month worked by hand, kernel = TypeScript twin', () => {
  // Cell at z = 3000 m, climate at ref_hgt = 3160 m: T_ref = 0.46 °C, P = 100 kg m⁻².
  // Lapse −0.0065 K m⁻¹ × (3000 − 3160) m = +1.04 K → T = 1.50 °C (temp_bias 0).
  // Solid fraction (t_liq − T)/(t_liq − t_solid) = (2 − 1.5)/2 = 0.25 → snow 0.25 · 2.5 · 100 = 62.5 mm w.e.
  // Melt 5 mm w.e. d⁻¹ K⁻¹ · 30.43685 d · (1.5 − (−1)) K = 380.4606 mm w.e.
  // B = 62.5 − 380.4606 = −317.9606 mm w.e. in the month → as a yearly rate in ice:
  // −317.9606 · 12 / 1000 · 1000/910 = −4.19289 m ice eq. a⁻¹.
  const z = Float32Array.of(3000);
  const block = { temp: [0.46], prcp: [100], refHgt: 3160 };
  const out = new Float32Array(1);
  smbTi(z, block, { ...TI_DEFAULTS }, out);
  const melt = 5 * DAYS_PER_MONTH * 2.5;
  assert.ok(Math.abs(melt - 380.4606) < 1e-3);
  assert.ok(Math.abs(out[0] - -4.19289) < 2e-5, `got ${out[0]}`);
  // all snow below t_solid, no melt below t_melt: z = 3500 m → T = 0.46 − 2.21 = −1.75 °C
  smbTi(Float32Array.of(3500), block, { ...TI_DEFAULTS }, out);
  assert.ok(Math.abs(out[0] - (250 * 12) / 910) < 1e-4, `got ${out[0]}`);
  // kernel vs twin over many cells and a 12-month block (f32 storage, same f64 arithmetic)
  const n = 1037;
  const zz = Float32Array.from({ length: n }, (_, k) => 2400 + 1.3 * k);
  const thk = Float32Array.from({ length: n }, (_, k) => (k % 7 === 0 ? 0 : 50));
  const mask = Float32Array.from({ length: n }, (_, k) => (k % 11 === 0 ? 0 : 1));
  const b12 = { temp: Array.from({ length: 12 }, (_, m) => -14 + 1.5 * m), prcp: Array.from({ length: 12 }, (_, m) => 40 + 9 * m), refHgt: 3160 };
  const p = { ...TI_DEFAULTS, tempBias: 0.7, meltF: 4.2 };
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  smbTi(zz, b12, p, a, thk, mask);
  smbTiWasm(zz, b12, p, b, thk, mask);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(a[k] - b[k]) <= 1e-6 * Math.max(1, Math.abs(a[k])), `cell ${k}: ${a[k]} vs ${b[k]}`);
  assert.ok(a.some((v) => v === -10) && a.some((v) => v === 0) && a.some((v) => v > 0) && a.some((v) => v < 0), `${a.slice(0, 30)}`);
  assert.equal(tiScale(12), 1 / 910);
});

test('clim reader: HISTALP nearest cell and bilinear, balance years Oct–Sep', async () => {
  const c = await readMonthlyClimate({ file: HISTALP, lon: 10.7584, lat: 46.8003 });
  // nearest HISTALP cell to Hintereisferner: 10.75 E, 46.833 N, 3160 m (OGGM's ref_hgt for HEF)
  assert.equal(c.refHgt, 3160);
  assert.ok(Math.abs(c.lon - 10.75) < 1e-6 && Math.abs(c.lat - 46.8333) < 1e-3);
  assert.deepEqual([c.startYear, c.startMonth], [1801, 10]);
  assert.deepEqual(balanceYears(c, 10), [1802, 2003]);
  assert.deepEqual(balanceYears(c, 1), [1802, 2002]);
  // balance year 1990 starts in October 1989: index (1989 − 1801)·12 + 0
  const y = climateOf(c, 1990, 10);
  assert.equal(y.temp[0], c.temp[(1989 - 1801) * 12]);
  const bl = await readMonthlyClimate({ file: HISTALP, lon: 10.7584, lat: 46.8003, interp: 'bilinear' });
  // bilinear height lies between the heights of the 4 surrounding cells (2380, 3160, 2909, 2519 m)
  assert.ok(bl.refHgt > 2380 && bl.refHgt < 3160, `${bl.refHgt}`);
});

test('calibration recovers the parameters that made synthetic observations', async () => {
  const c = await readMonthlyClimate({ file: HISTALP, lon: 10.7584, lat: 46.8003 });
  const z = Float32Array.from({ length: 300 }, (_, k) => 2450 + 4 * k); // a 2450–3646 m glacier
  const truth = { ...TI_DEFAULTS, tempBias: 1.3, meltF: 6.1, prcpFac: 2.2 };
  const years = Array.from({ length: 37 }, (_, k) => 1953 + k);
  const b = glacierWideBalance(c, z, truth, years, 10);
  const observed = new Map(years.map((y, k) => [y, b[k]]));
  // prcp_fac fixed at its true value: melt_f and temp_bias recovered to 1e-3
  const r1 = calibrateTI({ climate: c, z, observed, years: [1953, 1989], fixed: { ...TI_DEFAULTS, prcpFac: 2.2 }, hydroMonth: 10 });
  assert.ok(Math.abs(r1.params.tempBias - 1.3) < 1e-3, `temp_bias ${r1.params.tempBias}`);
  assert.ok(Math.abs(r1.params.meltF - 6.1) < 1e-3, `melt_f ${r1.params.meltF}`);
  assert.ok(r1.fit.rmse < 0.5 && r1.fit.r > 0.99999, JSON.stringify(r1.fit));
  // prcp_fac fitted too, with a very wide prior: all three recovered to 1e-2
  const r2 = calibrateTI({ climate: c, z, observed, years: [1953, 1989], fixed: { ...TI_DEFAULTS }, hydroMonth: 10, fitPrcpFac: true, prcpFacSd: 1e3 });
  assert.ok(Math.abs(r2.params.prcpFac - 2.2) < 1e-2, `prcp_fac ${r2.params.prcpFac}`);
  assert.ok(Math.abs(r2.params.tempBias - 1.3) < 1e-2, `temp_bias ${r2.params.tempBias}`);
  assert.ok(Math.abs(r2.params.meltF - 6.1) < 1e-2, `melt_f ${r2.params.meltF}`);
});

test('bad input: missing variables, years not covered, no overlapping observations', async () => {
  await assert.rejects(readMonthlyClimate({ file: HISTALP, lon: 10.75, lat: 46.8, tempVar: 'tas' }), (e) => isNunatakErrorLike(e, 'NOT_FOUND', /no temperature variable 'tas' \(variables: .*prcp, temp\)/));
  await assert.rejects(readMonthlyClimate({ file: HISTALP, lon: 10.75, lat: 46.8, prcpVar: 'pr' }), (e) => isNunatakErrorLike(e, 'NOT_FOUND', /no precipitation variable 'pr'/));
  await assert.rejects(readMonthlyClimate({ file: HISTALP, lon: 12.5, lat: 46.8 }), (e) => isNunatakErrorLike(e, 'INPUT', /does not cover longitude 12\.5/));
  const c = await readMonthlyClimate({ file: HISTALP, lon: 10.75, lat: 46.8 });
  assert.throws(() => climateOf(c, 2010, 10), (e) => isNunatakErrorLike(e, 'INPUT', /does not cover balance year 2010: it covers balance years 1802–2003/));
  // the clim module checks the run's years at initialize and names the missing ones
  const state = new SimState(makeGrid({ nx: 2, ny: 2, x0: 0, y0: 0, dx: 100, dy: 100 }));
  const cfg = { processes: { clim: { file: HISTALP, lon: 10.75, lat: 46.8, interp: 'nearest', temp_var: 'temp', prcp_var: 'prcp', hgt_var: 'hgt', lapse_rate: -0.0065, temp_bias: 0, prcp_fac: 2.5, period: 'year', hydro_month: 10 }, time: { start: 1990, end: 2020 } } } as unknown as SimConfig;
  await assert.rejects(clim.initialize(cfg, state), (e) => isNunatakErrorLike(e, 'INPUT', /covers balance years 1802–2003.*needs 1990–2019: years 2004–2019 are missing/));
  const observed = new Map([[2010, -500], [2011, -700], [2012, -900]]);
  assert.throws(
    () => calibrateTI({ climate: c, z: Float32Array.of(3000), observed, years: [1953, 1989], fixed: { ...TI_DEFAULTS }, hydroMonth: 10 }),
    (e) => isNunatakErrorLike(e, 'INPUT', /only 0 year\(s\) of 1953–1989 have both an observed balance and climate \(observations 2010–2012, climate 1802–2003\)/),
  );
});

test('clim module: period year loads Oct–Sep of balance year floor(t), period month the month of t', async () => {
  const state = new SimState(makeGrid({ nx: 2, ny: 2, x0: 0, y0: 0, dx: 100, dy: 100 }));
  const base = { file: HISTALP, lon: 10.75, lat: 46.83, interp: 'nearest', temp_var: 'temp', prcp_var: 'prcp', hgt_var: 'hgt', lapse_rate: -0.0065, temp_bias: 0, prcp_fac: 2.5, hydro_month: 10 };
  const series = await readMonthlyClimate({ file: HISTALP, lon: 10.75, lat: 46.83 });
  const at = (y: number, m: number) => series.temp[(y - 1801) * 12 + m - 10];
  const cfgY = { processes: { clim: { ...base, period: 'year' }, time: { start: 1990, end: 1995 } } } as unknown as SimConfig;
  await clim.initialize(cfgY, state);
  state.t = 1990.4;
  clim.update(cfgY, state);
  const shared = state.extra.clim as clim.ClimShared;
  assert.equal(shared.key, 1990);
  assert.equal(shared.block.temp.length, 12);
  assert.equal(shared.block.temp[0], at(1989, 10)); // October 1989 opens balance year 1990
  assert.equal(shared.block.temp[11], at(1990, 9));
  const cfgM = { processes: { clim: { ...base, period: 'month' }, time: { start: 1990, end: 1995 } } } as unknown as SimConfig;
  await clim.initialize(cfgM, state);
  state.t = 1990 + 7.5 / 12; // inside August 1990
  clim.update(cfgM, state);
  const m = state.extra.clim as clim.ClimShared;
  assert.deepEqual([m.block.temp.length, m.block.temp[0]], [1, at(1990, 8)]);
});

test('nunatak calibrate: no observations in the calibration years is a clear CLI error', () => {
  const r = spawnSync(process.execPath, ['bin/nunatak.js', 'calibrate', 'examples/hintereisferner-mb', '--dx', '200', '--calib', '2005-2015', '--out', mkdtempSync(join(tmpdir(), 'nk-cal-'))], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /only 0 year\(s\) of 2005–2015 have both an observed balance and climate \(observations 1953–2020, climate 1802–2003\)/);
});
