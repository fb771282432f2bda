/**
 * .npy round trips for every supported dtype, both directions against NumPy:
 * nunatak writes → np.load gets the same values, dtype and shape (exact);
 * np.save (little- and big-endian, 0-d and 3-d) → nunatak reads the same.
 * Fortran order, unsupported dtypes and truncated files are clear errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, readNpyHeader, writeNpy, type NpyData, type NpyDType } from '../../src/io/npy/npy.js';
import { isNunatakError } from '../../src/core/errors.js';
import { py, tempDir } from './peer.js';

const CASES: Array<[NpyDType, NpyData, string]> = [
  ['bool', Uint8Array.from([1, 0, 0, 1, 1, 0]), 'bool'],
  ['int8', Int8Array.from([-128, -1, 0, 1, 2, 127]), 'int8'],
  ['uint8', Uint8Array.from([0, 1, 2, 3, 254, 255]), 'uint8'],
  ['int16', Int16Array.from([-32768, -1, 0, 1, 2, 32767]), 'int16'],
  ['uint16', Uint16Array.from([0, 1, 2, 3, 65534, 65535]), 'uint16'],
  ['int32', Int32Array.from([-2147483648, -1, 0, 1, 2, 2147483647]), 'int32'],
  ['uint32', Uint32Array.from([0, 1, 2, 3, 4, 4294967295]), 'uint32'],
  ['int64', BigInt64Array.from([-9223372036854775808n, -1n, 0n, 1n, 2n, 9223372036854775807n]), 'int64'],
  ['uint64', BigUint64Array.from([0n, 1n, 2n, 3n, 4n, 18446744073709551615n]), 'uint64'],
  ['float32', Float32Array.from([-1.5, 0, 3.25, 1e-30, NaN, Infinity]), 'float32'],
  ['float64', Float64Array.from([-1e300, Math.PI, 0, 5e-324, NaN, -Infinity]), 'float64'],
];

test('nunatak writes .npy that NumPy loads with the same dtype, shape and values', (t) => {
  const dir = tempDir(t);
  for (const [dtype, data] of CASES) writeNpy(join(dir, `${dtype}.npy`), data, [2, 3], dtype);
  const code = `import numpy as np, json, sys\nout = {}\nfor n in sys.argv[2:]:\n  a = np.load(sys.argv[1] + '/' + n + '.npy')\n  out[n] = [str(a.dtype), list(a.shape), [repr(x) for x in a.ravel().tolist()]]\nprint(json.dumps(out))`;
  const got = JSON.parse(py(['-c', code, dir, ...CASES.map((c) => c[0])]));
  for (const [dtype, data, npName] of CASES) {
    assert.equal(got[dtype][0], npName);
    assert.deepEqual(got[dtype][1], [2, 3]);
    const want = Array.from(data as ArrayLike<number | bigint>, (x) => (dtype === 'bool' ? (x ? 'True' : 'False') : typeof x === 'bigint' ? String(x) : Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x)));
    const pyVals = (got[dtype][2] as string[]).map((s) => (dtype.startsWith('float') && s !== 'nan' && !s.endsWith('inf') ? String(Number(s)) : s));
    assert.deepEqual(pyVals, want, dtype);
  }
});

test('nunatak reads .npy written by NumPy (little/big endian, 0-d, 3-d) and round-trips its own', (t) => {
  const dir = tempDir(t);
  const code = `import numpy as np, sys\nd = sys.argv[1]\nfor dt in ['b1','i1','u1','<i2','>i2','<u2','<i4','>i4','<u4','<i8','>u8','<f4','>f4','<f8','>f8']:\n  a = (np.arange(24).reshape(2, 3, 4) * 37 % 101 - (0 if dt[-2] in 'ub' else 50)).astype(dt)\n  np.save(d + '/' + dt.replace('<','le').replace('>','be') + '.npy', a)\nnp.save(d + '/scalar.npy', np.float64(2.5))`;
  py(['-c', code, dir]);
  for (const dt of ['b1', 'i1', 'u1', 'lei2', 'bei2', 'leu2', 'lei4', 'bei4', 'leu4', 'lei8', 'beu8', 'lef4', 'bef4', 'lef8', 'bef8']) {
    const f = join(dir, `${dt}.npy`);
    const a = readNpy(f);
    assert.deepEqual(a.shape, [2, 3, 4], dt);
    const signed = !/u|b1/.test(dt);
    const want = Array.from({ length: 24 }, (_, i) => ((i * 37) % 101) - (signed ? 50 : 0)).map((x) => (dt === 'b1' ? (x ? 1 : 0) : x));
    assert.deepEqual(Array.from(a.data as ArrayLike<number | bigint>, Number), want, dt);
    // own round trip
    const g = join(dir, `rt-${dt}.npy`);
    writeNpy(g, a.data, a.shape, a.dtype);
    const b = readNpy(g);
    assert.deepEqual([b.dtype, b.shape, Array.from(b.data as ArrayLike<number | bigint>, Number)], [a.dtype, a.shape, want]);
  }
  const s = readNpy(join(dir, 'scalar.npy'));
  assert.deepEqual([s.dtype, s.shape, Array.from(s.data as Float64Array)], ['float64', [], [2.5]]);
});

test('Fortran order, unsupported dtypes, truncated and non-npy files are clear errors', (t) => {
  const dir = tempDir(t);
  py(['-c', `import numpy as np, sys\nd = sys.argv[1]\nnp.save(d + '/f.npy', np.asfortranarray(np.ones((3, 4))))\nnp.save(d + '/h.npy', np.ones(3, dtype='f2'))\nnp.save(d + '/c.npy', np.ones(3, dtype='c8'))\nnp.save(d + '/u.npy', np.array(['ab', 'cd']))`, dir]);
  assert.throws(() => readNpy(join(dir, 'f.npy')), (e) => isNunatakError(e, 'DTYPE') && /f\.npy: array is in Fortran/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'h.npy')), (e) => isNunatakError(e, 'DTYPE') && /h\.npy: unsupported dtype '<f2'/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'c.npy')), (e) => isNunatakError(e, 'DTYPE') && /unsupported dtype '<c8'/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'u.npy')), (e) => isNunatakError(e, 'DTYPE') && /unsupported dtype '<U2'/.test(e.message));
  const good = join(dir, 'g.npy');
  writeNpy(good, new Float32Array(100));
  const cut = join(dir, 'cut.npy');
  writeFileSync(cut, readFileSync(good).subarray(0, 200));
  // 100 float32 = 400 data bytes after a 128-byte header: 528 expected, 200 present
  const cutMsg = (e: unknown) => isNunatakError(e, 'IO') && /cut\.npy: file is truncated: 200 bytes, expected 528 for a \(100\) float32 array/.test(e.message);
  assert.throws(() => readNpy(cut), cutMsg);
  assert.throws(() => readNpyHeader(cut), cutMsg, 'the header alone is checked against the file size');
  writeFileSync(join(dir, 'x.npy'), 'hello world');
  assert.throws(() => readNpy(join(dir, 'x.npy')), (e) => isNunatakError(e, 'IO') && /x\.npy: not a \.npy file/.test(e.message));
  assert.throws(() => writeNpy(good, new Float32Array(5), [2, 3]), (e) => isNunatakError(e, 'SHAPE'));
});
