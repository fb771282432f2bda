/**
 * Twin test on a Hintereisferner-like geometry: the SRTM DEM and the RGI v6
 * outline (data/hintereisferner) on a 200 m UTM grid give the bed; the
 * forward model (SIA + superbee transport) grows a glacier there for 600 a
 * under an ELA mass balance (the 1964–1990 gradients of the example, ELA
 * 2900 m), confined to the outline grown by two cells. Noise: surface 1 m,
 * velocity 1 m a⁻¹ per component, thickness points 3 m. Thresholds (issue 14):
 * with velocities RMSE ≤ 15 % of the mean true thickness, volume within 5 %;
 * without velocities the error is reported and held to what this setup
 * reaches (RMSE ≤ 45 %, volume within 25 %).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { glacierDomain } from '../../../src/io/geo/index.js';
import { northward } from '../../../src/sim/grid-ops.js';
import { invertThickness } from '../../../src/sim/invert/invert.js';
import { twinSteadyState } from '../../../src/sim/invert/twin.js';
import { noisyObservations, twinScore } from './twin-helpers.js';

const hef = resolve('data/hintereisferner');
const domain = await glacierDomain({ dem: `${hef}/hef_srtm.tif`, outline: `${hef}/Hintereisferner_RGI6.shp`, crs: 'EPSG:32632', dx: 200, margin: 600 });
const bed = northward(domain.usurf);
const outline = northward(domain.icemask);
const { nx, ny } = bed.grid;
const grid = { nx, ny, dx: bed.grid.dx, dy: Math.abs(bed.grid.dy) };
const allow = new Float32Array(nx * ny);
for (let j = 0; j < ny; j++) {
  for (let i = 0; i < nx; i++) {
    for (let b = Math.max(j - 2, 0); b <= Math.min(j + 2, ny - 1); b++) {
      for (let a = Math.max(i - 2, 0); a <= Math.min(i + 2, nx - 1); a++) if (outline.data[b * nx + a] > 0.5) allow[j * nx + i] = 1;
    }
  }
}
const truth = twinSteadyState({ grid, topg: bed.data, ela: 2900, gradabl: 0.01059, gradacc: 0.00197, accmax: 0.912, years: 600, icemask: allow });

test('Hintereisferner-like twin, surface + velocity + thickness points: RMSE ≤ 15 %, volume within 5 %', () => {
  const r = invertThickness(noisyObservations(truth, grid, 7, 29));
  const s = twinScore('Hintereisferner-like, with velocities', truth, r);
  assert.ok(s.meanTrue > 50, `a glacier grew: mean thickness ${s.meanTrue} m`);
  assert.ok(s.rmseRel <= 0.15, `RMSE ${(100 * s.rmseRel).toFixed(1)} %`);
  assert.ok(Math.abs(s.volumeRel) <= 0.05, `volume off by ${(100 * s.volumeRel).toFixed(1)} %`);
});

test('Hintereisferner-like twin, flux divergence only: error stated', () => {
  const r = invertThickness(noisyObservations(truth, grid, 8), { nbitmax: 3000 });
  const s = twinScore('Hintereisferner-like, flux divergence only', truth, r);
  assert.ok(s.rmseRel <= 0.45, `RMSE ${(100 * s.rmseRel).toFixed(1)} %`);
  assert.ok(Math.abs(s.volumeRel) <= 0.25, `volume off by ${(100 * s.volumeRel).toFixed(1)} %`);
});
