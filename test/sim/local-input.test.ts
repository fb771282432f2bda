/**
 * inputs/local and the grid operations: flips to rows going north, crops by
 * cell centres, coarsens by exact block means; the Hintereisferner DEM and
 * outline give a 100 m UTM grid whose ice mask area matches the RGI area
 * (8.036 km²) within 5 %, and missing input keys/files are named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { Field } from '../../src/core/field/field.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { coarsen, cropFields, northward } from '../../src/sim/grid-ops.js';
import { runExperiment } from '../../src/sim/run.js';
import { makeExperiment } from './engine-helpers.js';

const field = (nx: number, ny: number, dy: number) =>
  new Field({ name: 'q', grid: makeGrid({ nx, ny, x0: 0, y0: dy < 0 ? 1000 : 0, dx: 10, dy }), data: Float32Array.from({ length: nx * ny }, (_, k) => k) });

test('northward flips a north-up grid and keeps each value at its coordinates', () => {
  const f = field(4, 3, -10);
  const n = northward(f);
  assert.equal(n.grid.dy, 10);
  assert.equal(n.grid.y0, 980);
  for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) assert.equal(n.at(j, i), f.at(2 - j, i));
});

test('crop keeps the cells whose centres are in the box; coarsen gives block means', () => {
  const f = field(6, 5, 10);
  const [c] = cropFields([f], { xmin: 10, xmax: 40, ymin: 5, ymax: null });
  assert.deepEqual([c.grid.nx, c.grid.ny, c.grid.x0, c.grid.y0], [4, 4, 10, 10]);
  assert.equal(c.at(0, 0), f.at(1, 1));
  const g = coarsen(field(7, 6, 10), 2);
  assert.deepEqual([g.grid.nx, g.grid.ny, g.grid.dx, g.grid.x0, g.grid.y0], [3, 3, 20, 5, 5]);
  assert.equal(g.at(1, 2), (2 * 7 + 4 + 2 * 7 + 5 + 3 * 7 + 4 + 3 * 7 + 5) / 4);
});

const hef = resolve('data/hintereisferner');
const localYaml = (extra = '') =>
  'defaults:\n  - override /inputs: [local]\n  - override /processes: [time]\n' +
  `inputs:\n  local: {type: geotiff, dem: ${join(hef, 'hef_srtm.tif')}, outline: ${join(hef, 'Hintereisferner_RGI6.shp')}, crs: "EPSG:32632", dx: 100, margin: 500${extra}}\n` +
  'processes:\n  time: {start: 0, end: 0, save: 1}\nsim: {progress: false}\n';

test('Hintereisferner on a 100 m UTM grid: ice mask area ≈ RGI area, rows go north, bed = DEM, no ice', async () => {
  const root = makeExperiment({
    'experiment.yaml': localYaml(),
    'user/code/outputs/grab.ts': 'export function initialize(_c: any, s: any) { (globalThis as any).__s = s; }\nexport function run() {}\n',
  });
  await runExperiment({ experiment: root, outDir: join(root, 'o'), overrides: ['outputs=[grab]'] });
  const s = (globalThis as any).__s;
  assert.equal(s.grid.dy, 100);
  assert.equal(s.grid.crs, 'EPSG:32632');
  const mask = s.get('icemask').data as Float32Array;
  const area = mask.reduce((a: number, v: number) => a + v, 0) * 0.01;
  assert.ok(Math.abs(area - 8.036) / 8.036 < 0.05, `mask area ${area} km²`);
  assert.deepEqual(Array.from(s.get('topg').data.slice(0, 50)), Array.from(s.get('usurf').data.slice(0, 50)));
  assert.equal(s.volumeKm3(), 0);
  // elevations of the glacier: RGI Zmin 2430 m, Zmax 3674 m (±60 m for 100 m cells)
  let lo = Infinity;
  let hi = -Infinity;
  s.get('usurf').data.forEach((z: number, k: number) => { if (mask[k]) { lo = Math.min(lo, z); hi = Math.max(hi, z); } });
  assert.ok(Math.abs(lo - 2430) < 60 && Math.abs(hi - 3674) < 60, `${lo}…${hi} m`);
});

test('local input errors name the key or the file', async () => {
  const noDem = makeExperiment({ 'experiment.yaml': localYaml().replace(/dem: [^,]+, /, '') });
  await assert.rejects(runExperiment({ experiment: noDem, outDir: join(noDem, 'o') }), /inputs\.local\.dem is not set/);
  const missing = makeExperiment({ 'experiment.yaml': localYaml().replace('hef_srtm.tif', 'nope.tif') });
  await assert.rejects(runExperiment({ experiment: missing, outDir: join(missing, 'o') }), /inputs\.local\.dem: .*nope\.tif does not exist/);
});
