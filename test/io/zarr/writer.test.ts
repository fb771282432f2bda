/**
 * The zarr writer on its own: a format-2 store with integer, boolean-like
 * and float variables, a partly written record variable and a scalar crs,
 * read by Debian's `xarray.open_zarr` (zarr-python 2): integers without a
 * fill value are not masked (0 stays 0), unwritten float chunks read as NaN,
 * time decodes in its calendar, the metadata is consolidated (no warning).
 * Bad input: an existing store without overwrite, a non-zarr folder with
 * overwrite, a block outside the array, a wrong value count, deflate (zarrita
 * cannot encode compressed chunks), a time axis without values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createZarr } from '../../../src/io/zarr/index.js';
import { openZarrPeer } from '../../helpers/xarray-zarr.js';
import { py, tempDir } from '../peer.js';

test('format 2 store: xarray.open_zarr decodes time (noleap), keeps integer zeros, reads unwritten chunks as NaN', async (t) => {
  const d = tempDir(t);
  const p = join(d, 's.zarr');
  const w = await createZarr(p, {
    time: { units: 'days since 2001-02-27', calendar: 'noleap' },
    times: [0, 1, 2],
    dims: [{ name: 'band', size: 2, values: [1.5, 2.5], attrs: { units: 'um' } }, { name: 'y', size: 2, values: [0, 1] }, { name: 'x', size: 3, values: [0, 1, 2] }],
    crs: 'EPSG:2056',
    variables: [
      { name: 'count', dims: ['band'], dtype: 'int64', units: '1' },
      { name: 'mask', dims: ['y', 'x'], dtype: 'uint8' },
      { name: 'v', dims: ['time', 'y', 'x'], units: 'm s-1', standardName: 'land_ice_surface_x_velocity' },
    ],
  });
  await w.write('count', [0, 7]);
  await w.write('mask', [0, 1, 0, 1, 1, 0]);
  await w.writeBlock('v', [1, 0, 0], [1, 2, 3], [1, 2, 3, 4, 5, 6]);
  const z = JSON.parse(readFileSync(join(p, 'v', '.zarray'), 'utf8')) as Record<string, unknown>;
  assert.equal(z.fill_value, 'NaN');
  assert.deepEqual(JSON.parse(readFileSync(join(p, 'v', '.zattrs'), 'utf8'))._ARRAY_DIMENSIONS, ['time', 'y', 'x']);
  const v = openZarrPeer(p);
  assert.deepEqual(v.warnings, []);
  assert.deepEqual(v.time, { iso: ['2001-02-27T00:00:00', '2001-02-28T00:00:00', '2001-03-01T00:00:00'], calendar: 'noleap', units: 'days since 2001-02-27' });
  assert.equal(v.vars.count.dtype, 'int64');
  assert.equal(v.vars.mask.dtype, 'uint8');
  assert.equal(v.vars.v.attrs.grid_mapping, 'crs');
  assert.equal(v.vars.v.attrs.standard_name, 'land_ice_surface_x_velocity');
  assert.equal(v.vars.crs.attrs.epsg_code, 'EPSG:2056');
  assert.match(v.vars.crs.attrs.crs_wkt, /CH1903\+ \/ LV95/);
  const vals = openZarrValues(p);
  assert.deepEqual(vals.count, [0, 7]);
  assert.deepEqual(vals.mask, [[0, 1, 0], [1, 1, 0]]);
  assert.deepEqual(vals.v, [[[null, null, null], [null, null, null]], [[1, 2, 3], [4, 5, 6]], [[null, null, null], [null, null, null]]]);
});

/** Values per variable as xarray reads them (NaN as null). */
function openZarrValues(p: string): Record<string, unknown> {
  const code = `import sys, json, math, xarray as xr
ds = xr.open_zarr(sys.argv[1])
def clean(x): return [clean(y) for y in x] if isinstance(x, list) else (None if isinstance(x, float) and math.isnan(x) else x)
print(json.dumps({k: clean(ds[k].values.tolist()) for k in ('count', 'mask', 'v')}))`;
  return JSON.parse(py(['-c', code, p])) as Record<string, unknown>;
}

test('bad input: existing store, non-zarr folder, block outside the array, wrong value count, deflate, time without values', async (t) => {
  const d = tempDir(t);
  const p = join(d, 'a.zarr');
  const o = { dims: [{ name: 'n', size: 4 }], variables: [{ name: 'a', dims: ['n'] }] };
  const w = await createZarr(p, o);
  await assert.rejects(createZarr(p, o), { code: 'IO', message: /a\.zarr: exists/ });
  await createZarr(p, { ...o, overwrite: true }); // a zarr store is replaced
  const other = join(d, 'photos');
  mkdirSync(other);
  writeFileSync(join(other, 'keep.jpg'), 'x');
  await assert.rejects(createZarr(other, { ...o, overwrite: true }), { code: 'IO', message: /photos: exists and is not a zarr store/ });
  assert.ok(existsSync(join(other, 'keep.jpg')));
  await assert.rejects(w.writeBlock('a', [3], [2], [1, 2]), { code: 'SHAPE', message: /outside 'a' \[4\]/ });
  await assert.rejects(w.write('a', [1, 2, 3]), { code: 'SHAPE', message: /needs 4 values, got 3/ });
  await assert.rejects(createZarr(join(d, 'c.zarr'), { ...o, deflate: 4 }), { code: 'CONFIG', message: /uncompressed; deflate 4 is not supported/ });
  await assert.rejects(createZarr(join(d, 't.zarr'), { time: { units: 'days since 2000-01-01' }, variables: [] }), { code: 'CONFIG', message: /needs its time values/ });
});
