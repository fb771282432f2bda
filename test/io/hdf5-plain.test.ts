/**
 * Plain HDF5 files (h5py, no netCDF dimension scales): datasets are listed
 * with netCDF-C style phony dimensions and read with the same values as h5py
 * (exact), big-endian datasets included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { py, tempDir } from './peer.js';

test('reads a plain h5py file like h5py', async (t) => {
  const path = join(tempDir(t), 'plain.h5');
  py(['-c', `import h5py, numpy as np, sys\nf = h5py.File(sys.argv[1], 'w')\nf['a'] = np.arange(12, dtype='<f4').reshape(3, 4) / 3\nf['b'] = np.arange(6, dtype='>i4').reshape(3, 2) - 3\nf['c'] = np.array([1.5, -2.25], dtype='>f8')\nf['a'].attrs['units'] = 'm'\nf.attrs['source'] = 'h5py'\nf.close()`, path]);
  const ds = await openDataset(path);
  t.after(() => ds.close());
  assert.equal(ds.format, 'hdf5');
  assert.equal(ds.attrs.source, 'h5py');
  const a = ds.variable('a');
  assert.deepEqual(a.shape, [3, 4]);
  assert.deepEqual(a.dims, ['phony_dim_0', 'phony_dim_1']);
  assert.equal(a.attrs.units, 'm');
  assert.deepEqual(Array.from(ds.read('a').data), Array.from({ length: 12 }, (_, i) => Math.fround(i / 3)));
  assert.deepEqual(ds.variable('b').dims, ['phony_dim_0', 'phony_dim_2']);
  assert.deepEqual(Array.from(ds.readRaw('b') as Int32Array), [-3, -2, -1, 0, 1, 2]);
  assert.deepEqual(Array.from(ds.read('c').data), [1.5, -2.25]);
  assert.deepEqual(Array.from(ds.read('b', { start: [1, 1], count: [2, 1] }).data), [0, 2]);
});
