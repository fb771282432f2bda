// smb_simple (hand-computed values), time stepping (exact save times, IGM's
// Δt = 0 first step, which limit applies) and the NaN / negative thickness checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkField, checkThickness, isNunatakErrorLike, nextTimeStep, parseSmbTable, saveTimes, smbParamsAt, smbSimple, stableTimeStep } from './helpers.ts';

test('smb table: header row, interpolation in time, clamping outside', () => {
  const tab = parseSmbTable([
    ['time', 'gradabl', 'gradacc', 'ela', 'accmax'],
    [2100, 0.009, 0.005, 3300, 2],
    [1900, 0.009, 0.005, 2800, 2],
    [2000, 0.009, 0.005, 2900, 2],
  ]);
  assert.deepEqual(tab.time, [1900, 2000, 2100]);
  assert.equal(smbParamsAt(tab, 1800).ela, 2800);
  assert.equal(smbParamsAt(tab, 1950).ela, 2850);
  assert.equal(smbParamsAt(tab, 2075).ela, 3200);
  assert.equal(smbParamsAt(tab, 2500).ela, 3300);
  // columns in another order via the header
  const t2 = parseSmbTable([['ela', 'time', 'accmax', 'gradacc', 'gradabl'], [3000, 0, 1.5, 0.004, 0.008]]);
  assert.deepEqual(smbParamsAt(t2, 10), { gradabl: 0.008, gradacc: 0.004, ela: 3000, accmax: 1.5 });
});

test('smb table errors name the key and row', () => {
  assert.throws(() => parseSmbTable([], 'processes.smb_simple.array'), (e) => isNunatakErrorLike(e, 'CONFIG', /processes\.smb_simple\.array: expected a non-empty list/));
  assert.throws(() => parseSmbTable([[1900, 0.009, 0.005, 2800]]), (e) => isNunatakErrorLike(e, 'CONFIG', /array\[0\]: expected 5 numbers/));
  assert.throws(() => parseSmbTable([[1900, 'x', 0.005, 2800, 2]]), (e) => isNunatakErrorLike(e, 'CONFIG', /non-numeric/));
  assert.throws(() => parseSmbTable([['time', 'gradabl', 'ela', 'accmax', 'foo']]), (e) => isNunatakErrorLike(e, 'CONFIG', /lacks column 'gradacc'/));
});

test('smb values: gradients, accmax cap, −100 floor, icemask, no melt without ice', () => {
  const p = { gradabl: 0.01, gradacc: 0.005, ela: 3000, accmax: 2 };
  const usurf = Float32Array.from([2500, 3000, 3200, 4000, 3200, 2500, -9000]);
  const thk = Float32Array.from([10, 10, 10, 10, 10, 0, 10]);
  const mask = Float32Array.from([1, 1, 1, 1, 0, 1, 1]);
  const smb = new Float32Array(7);
  smbSimple(usurf, p, smb, thk, mask);
  const want = [-5, 0, 1, 2, -10, 0, -100];
  for (let k = 0; k < 7; k++) assert.ok(Math.abs(smb[k] - want[k]) < 1e-6, `cell ${k}: ${smb[k]} vs ${want[k]}`);
  smbSimple(usurf, p, smb); // IGM without thk/icemask: melt everywhere below the ELA
  assert.ok(Math.abs(smb[5] + 5) < 1e-6 && Math.abs(smb[4] - 1) < 1e-6);
});

test('save times and exact landing; Δt = 0 on the first step', () => {
  assert.deepEqual(saveTimes(2000, 2100, 10), [2000, 2010, 2020, 2030, 2040, 2050, 2060, 2070, 2080, 2090, 2100]);
  assert.deepEqual(saveTimes(0, 25, 10), [0, 10, 20, 25]);
  assert.deepEqual(saveTimes(0, 0.3, 0.1), [0, 0.1, 0.2, 0.3]); // 3·0.1 ≈ 0.3 is not a second save
  assert.throws(() => saveTimes(10, 0, 1), (e) => isNunatakErrorLike(e, 'CONFIG', /end \(0\) is before start/));
  assert.throws(() => saveTimes(0, 10, 0), (e) => isNunatakErrorLike(e, 'CONFIG', /save must be > 0/));
  const saves = saveTimes(2000, 2020, 5);
  let t = 2000;
  let idx = 0;
  const hit: number[] = [];
  const first = nextTimeStep(t, 0.7, saves, idx);
  assert.equal(first.dt, 0);
  assert.equal(first.saveresult, true);
  while (idx < saves.length) {
    const s = nextTimeStep(t, 0.7, saves, idx);
    assert.ok(s.dt >= 0 && s.dt <= 0.7);
    t = s.tNext;
    idx = s.saveIndex;
    if (s.saveresult) hit.push(t);
  }
  assert.deepEqual(hit, saves); // bit-exact save times
  assert.throws(() => nextTimeStep(0, NaN, saves, 0), (e) => isNunatakErrorLike(e, 'NUMERIC', /time step is NaN/));
});

test('stable time step: advective CFL 0.3, diffusive dx²/(4D), step_max', () => {
  assert.deepEqual(stableTimeStep({ dx: 100, dy: 100, umax: 100 }), { dt: 0.3, limitedBy: 'advective' });
  assert.deepEqual(stableTimeStep({ dx: 100, dy: 100, umax: 1, dmax: 5000 }), { dt: 0.5, limitedBy: 'diffusive' });
  assert.deepEqual(stableTimeStep({ dx: 100, dy: 100, umax: 1, dmax: 1 }), { dt: 1, limitedBy: 'step_max' });
  assert.deepEqual(stableTimeStep({ dx: 100, dy: 100, umax: 0, stepMax: 5 }), { dt: 5, limitedBy: 'step_max' });
  assert.throws(() => stableTimeStep({ dx: 100, dy: 100, umax: NaN }), (e) => isNunatakErrorLike(e, 'NUMERIC', /max velocity NaN/));
  assert.throws(() => stableTimeStep({ dx: 100, dy: 100, umax: 1, dmax: Infinity }), (e) => isNunatakErrorLike(e, 'NUMERIC', /not finite/));
  // anisotropic cells: 1/(2D(1/dx² + 1/dy²))
  assert.ok(Math.abs(stableTimeStep({ dx: 100, dy: 200, umax: 0, dmax: 1000, stepMax: 100 }).dt - 1 / (2 * 1000 * (1e-4 + 0.25e-4))) < 1e-12);
});

test('NaN / Inf / negative thickness stop with time step and location', () => {
  const grid = { nx: 4, ny: 3, dx: 100, dy: 100 };
  const h = new Float32Array(12).fill(5);
  checkThickness(h, grid, { t: 10, it: 3 });
  h[2 * 4 + 1] = NaN;
  assert.throws(() => checkThickness(h, grid, { t: 12.5, it: 7, dt: 0.25, x0: 1000, y0: 5000 }), (e) =>
    isNunatakErrorLike(e, 'NUMERIC', /thk is NaN at row j = 2, column i = 1, x = 1100 m, y = 5200 m \(iteration 7, t = 12.5 a, dt = 0.25 a\)/),
  );
  h[2 * 4 + 1] = 5;
  h[3] = -0.5;
  assert.throws(() => checkThickness(h, grid, { t: 1, it: 1 }), (e) => isNunatakErrorLike(e, 'NUMERIC', /thk is negative \(-0.5\) at row j = 0, column i = 3/));
  checkField('smb', h, grid, { t: 1, it: 1 }); // negative SMB is fine
  h[0] = Infinity;
  assert.throws(() => checkField('ubar', h, grid, { t: 1, it: 1 }), (e) => isNunatakErrorLike(e, 'NUMERIC', /ubar is Infinity at row j = 0, column i = 0/));
});
