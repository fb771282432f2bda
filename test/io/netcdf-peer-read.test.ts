/**
 * nunatak reads files written by netCDF4-python (NetCDF3 classic, NetCDF3
 * 64-bit offset, NetCDF4 with deflate) and gets the same values as
 * netCDF4-python's masked, unpacked arrays: exact for float32/float64 data,
 * ≤ 1e-12 absolute for scale/offset-packed data (both compute x·scale+offset
 * in float64), same NaN positions, same hyperslabs, same decoded dates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { findXY } from '../../src/io/netcdf/coords.js';
import { formatCfDate } from '../../src/io/netcdf/cf-time.js';
import { PEER, peerDump, py, tempDir } from './peer.js';

function assertSame(got: ArrayLike<number>, want: Array<number | null>, tol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w === null) assert.ok(Number.isNaN(got[i]), `${what}[${i}]: expected NaN, got ${got[i]}`);
    else assert.ok(Math.abs(got[i] - w) <= tol, `${what}[${i}]: ${got[i]} vs peer ${w}`);
  }
}

for (const [cmd, format] of [
  ['write3', 'netcdf3-classic'],
  ['write3_64', 'netcdf3-64bit-offset'],
  ['write4', 'hdf5'],
] as const) {
  test(`reads netCDF4-python ${format} file like netCDF4-python does`, async (t) => {
    const path = join(tempDir(t), `peer-${cmd}.nc`);
    py([PEER, cmd, path]);
    const names = ['packed', 'temp', 'flag', 'big', 'x', 'y', 'time', 'odd', 'tiny'];
    const peer = peerDump(path, names);
    const ds = await openDataset(path);
    t.after(() => ds.close());
    assert.equal(ds.format, format);
    // dimensions and attributes
    for (const [name, [size, unl]] of Object.entries(peer.__dims)) {
      assert.deepEqual(ds.dim(name), { name, size, unlimited: unl });
    }
    assert.equal(ds.attrs.title, 'nunatak peer fixture');
    assert.equal(ds.attrs.answer, 42);
    for (const n of names) {
      const v = ds.variable(n);
      assert.deepEqual(v.shape, peer[n].shape, `${n} shape`);
      assert.deepEqual(v.dims, peer[n].dims, `${n} dims`);
      const r = ds.read(n);
      assertSame(r.data, peer[n].values, n === 'packed' ? 1e-12 : 0, n);
      if (peer[n].raw) assert.deepEqual(Array.from(ds.readRaw(n) as ArrayLike<number>, Number), peer[n].raw, `${n} raw`);
    }
    assert.equal(ds.variable('packed').dtype, 'int16');
    assert.equal(ds.variable('flag').dtype, 'int8');
    assert.deepEqual(ds.variable('packed').attrs.scale_factor, 0.01);
    // hyperslab = the peer's full array indexed the same way
    const slab = ds.read('packed', { start: [1, 1, 2], count: [2, 2, 2] });
    assert.deepEqual(slab.shape, [2, 2, 2]);
    const want: Array<number | null> = [];
    for (let k = 1; k < 3; k++) for (let j = 1; j < 3; j++) for (let i = 2; i < 4; i++) want.push(peer.packed.values[(k * 3 + j) * 4 + i]);
    assertSame(slab.data, want, 1e-12, 'packed slab');
    assert.deepEqual(Array.from(ds.read('tiny', { start: [1, 1], count: [2, 2] }).data), [peer.tiny.values[4], peer.tiny.values[5], peer.tiny.values[7], peer.tiny.values[8]]);
    const tslab = ds.read('time', { start: [2], count: [1] });
    assert.deepEqual(Array.from(tslab.data), [365.5]);
    // CF time decoding, noleap calendar, vs cftime
    assert.deepEqual(ds.readTimes().map((d) => formatCfDate(d!)), peer.__times);
    // x/y coordinates found by axis attribute / standard_name
    const c = findXY(ds, 'packed');
    assert.equal(c.xName, 'x');
    assert.equal(c.yName, 'y');
    assert.deepEqual(Array.from(c.x), [100, 200, 300, 400]);
    assert.equal(c.kind, 'projected');
  });
}
