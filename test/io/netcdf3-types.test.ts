/**
 * NetCDF3 raw reads of every multi-byte type against netCDF4-python + NumPy,
 * bit for bit (tolerance 0: the bytes are only reordered): float32, float64,
 * int16, int32 as record variables interleaved in the same records (int16
 * slices padded to 4 bytes), as fixed variables, and a lone int16 record
 * variable whose records are packed with no padding. Whole variables and two
 * hyperslabs each, in NetCDF3 classic and 64-bit offset files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { PYTHON, py, tempDir } from './peer.js';

const PEER = join(import.meta.dirname, 'peers', 'nc3_types.py');
const hasNetcdf4 = spawnSync(PYTHON, ['-c', 'import netCDF4, numpy'], { encoding: 'utf8' }).status === 0;

/** Little-endian bytes of a typed array (what NumPy's tofile wrote for the peer's values). */
function bytesOf(a: unknown, what: string): Buffer {
  assert.ok(ArrayBuffer.isView(a), `${what}: expected a typed array`);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

test('NetCDF3 float32/float64/int16/int32, record and fixed, whole and hyperslabs, equal netCDF4-python bit for bit', { skip: !hasNetcdf4 && 'python3 with netCDF4 and numpy not installed' }, async (t) => {
  const dir = tempDir(t);
  const slabs = JSON.parse(py([PEER, dir])) as Record<string, Record<string, Record<string, [number[], number[]]>>>;
  const dtypes: Record<string, string> = { f32: 'float32', f64: 'float64', i16: 'int16', i32: 'int32' };
  const expected: Record<string, string[]> = {
    multi: ['time', 'rf32', 'rf64', 'ri16', 'ri32', 'ff32', 'ff64', 'fi16', 'fi32'],
    multi64: ['time', 'rf32', 'rf64', 'ri16', 'ri32', 'ff32', 'ff64', 'fi16', 'fi32'],
    lone: ['ri16', 'ff64'],
  };
  for (const [file, names] of Object.entries(expected)) {
    const ds = await openDataset(join(dir, `${file}.nc`));
    try {
      assert.equal(ds.format, file === 'multi64' ? 'netcdf3-64bit-offset' : 'netcdf3-classic');
      assert.deepEqual(ds.vars.map((v) => v.name).sort(), [...names].sort(), `${file}: variables`);
      for (const name of names) {
        if (name !== 'time') assert.equal(ds.variable(name).dtype, dtypes[name.slice(1)], `${file}.${name} dtype`);
        const want = readFileSync(join(dir, `${file}.${name}.bin`));
        assert.ok(want.length > 0, `${file}.${name}: peer wrote no values`);
        assert.ok(bytesOf(ds.readRaw(name), `${file}.${name}`).equals(want), `${file}.${name}: whole variable differs from netCDF4-python`);
        for (const [key, [start, count]] of Object.entries(slabs[file][name] ?? {})) {
          const got = bytesOf(ds.readRaw(name, { start, count }), `${file}.${name}.${key}`);
          assert.ok(got.equals(readFileSync(join(dir, `${file}.${name}.${key}.bin`))), `${file}.${name} hyperslab start ${start} count ${count} differs`);
        }
      }
      // Every 3-D record variable had its two hyperslabs checked.
      const rec = names.filter((n) => n.startsWith('r'));
      assert.deepEqual(Object.keys(slabs[file]).sort(), rec.sort(), `${file}: hyperslabs`);
    } finally {
      ds.close();
    }
  }
});
