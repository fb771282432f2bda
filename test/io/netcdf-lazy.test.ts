/**
 * Hyperslab reads of NetCDF3 touch only the bytes they need: after opening,
 * the second half of a variable's bytes on disk is overwritten; slabs from the
 * first half still equal netCDF4-python's values (exact), while a slab from
 * the second half now returns the overwritten bytes. A reader that loaded the
 * whole file at open would return the old values for both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { py, tempDir } from './peer.js';

test('NetCDF3 hyperslabs are read from disk on demand', async (t) => {
  const path = join(tempDir(t), 'lazy.nc');
  // 'a' (200, 100) float32 is the last variable, so its bytes end the file.
  py(['-c', `import netCDF4, numpy as np, sys\nd = netCDF4.Dataset(sys.argv[1], 'w', format='NETCDF3_CLASSIC')\nd.createDimension('r', 200)\nd.createDimension('c', 100)\nv = d.createVariable('a', 'f4', ('r', 'c'))\nv[:] = np.arange(20000, dtype='f4').reshape(200, 100) * 0.5\nd.close()`, path]);
  const ds = await openDataset(path);
  t.after(() => ds.close());
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(100 * 100 * 4, 0x42), 0, 100 * 100 * 4, size - 100 * 100 * 4); // rows 100..199 → 0x42424242 = 48.56...
  closeSync(fd);
  const first = ds.read('a', { start: [10, 5], count: [3, 4] }).data;
  const want: number[] = [];
  for (let r = 10; r < 13; r++) for (let c = 5; c < 9; c++) want.push((r * 100 + c) * 0.5);
  assert.deepEqual(Array.from(first), want);
  const second = ds.read('a', { start: [150, 0], count: [1, 3] }).data;
  const b = Buffer.alloc(4, 0x42).readFloatBE(0);
  assert.deepEqual(Array.from(second), [b, b, b]);
});
