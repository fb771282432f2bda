/**
 * write_tif: a short Hintereisferner run (200 m, south-up grid as every sim
 * grid) writes tif/<var>-<t>.tif per save; GDAL (gdalinfo, gdal_translate to
 * XYZ) reads the CRS as EPSG:32632 and, at every cell centre (x, y), exactly
 * the float32 value the state held there — which checks writeGeoTiff's row
 * flip and geotransform for a south-up grid. Before, writeGeoTiff refused
 * grids with dy > 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nk-tif-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('write_tif GeoTIFFs open in GDAL with EPSG:32632 and output.nc\'s values at each cell centre (south-up grid flipped)', async () => {
  await runExperiment({
    experiment: join(ROOT, 'examples', 'hintereisferner', 'quick.yaml'),
    overrides: ['inputs.local.dx=200', 'processes.time.end=10', 'processes.time.save=10', 'outputs=[write_ncdf,write_tif]', 'sim.progress=false'],
    outDir: dir,
  });
  const tif = join(dir, 'tif', 'thk-000010.tif');
  assert.ok(existsSync(tif) && existsSync(join(dir, 'tif', 'usurf-000000.tif')));
  const info = spawnSync('gdalinfo', ['-json', tif], { encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  const j = JSON.parse(info.stdout) as { coordinateSystem: { wkt: string }; geoTransform: number[] };
  assert.match(j.coordinateSystem.wkt, /ID\["EPSG",32632\]\]$/);
  assert.ok(j.geoTransform[5] < 0, 'written north-up');
  const xyz = join(dir, 'thk.xyz');
  const tr = spawnSync('gdal_translate', ['-q', '-of', 'XYZ', tif, xyz], { encoding: 'utf8' });
  assert.equal(tr.status, 0, tr.stderr);
  // netCDF4-python: thk at t = 10 by its (x, y) cell centres; every GDAL (x, y, v) must match exactly.
  const r = spawnSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np, netCDF4
d = netCDF4.Dataset(sys.argv[1]); x = d['x'][:]; y = d['y'][:]; t = d['thk'][-1].astype('f8')
g = np.loadtxt(sys.argv[2])
bad = 0
for gx, gy, v in g:
    i = int(np.argmin(abs(x - gx))); k = int(np.argmin(abs(y - gy)))
    if abs(x[i] - gx) > 1e-6 or abs(y[k] - gy) > 1e-6 or np.float32(t[k, i]) != np.float32(v): bad += 1
print(json.dumps({'n': len(g), 'cells': int(t.size), 'bad': bad, 'ice': int((t > 0).sum()), 'south_up': bool(y[1] > y[0])}))
`, join(dir, 'output.nc'), xyz], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout) as { n: number; cells: number; bad: number; ice: number; south_up: boolean };
  assert.ok(c.south_up, 'the sim grid is south-up');
  assert.equal(c.n, c.cells);
  assert.ok(c.ice > 0, 'some ice, so the flip is visible');
  assert.equal(c.bad, 0, `${c.bad} of ${c.n} cells differ`);
});
