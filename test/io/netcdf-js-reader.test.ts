/**
 * The pure-JS HDF5 reader (src/io/netcdf/hdf5-js.ts) against two independent
 * readers of the same files: libhdf5 through h5py (raw values, bit-exact) and
 * h5wasm (nunatak's other backend: dimensions, variables, attributes and
 * their types, every value and hyperslabs, all exactly equal). Files: ones
 * netCDF4-python and h5py write with the features the reader decodes, the
 * shipped NetCDF4 sample, HISTALP (shipped as NetCDF3) converted to NetCDF4
 * plain and deflated, and a file nunatak's writer made. Files with features it
 * does not decode (Fletcher32, version 2 B-tree chunk index) open through
 * h5wasm instead, with the same values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset, type Dataset } from '../../src/io/netcdf/dataset.js';
import { createNetcdf } from '../../src/io/netcdf/writer.js';
import { NunatakError } from '../../src/core/errors.js';
import { py, tempDir } from './peer.js';
import type { RawArray } from '../../src/io/netcdf/types.js';
import { lookup3 } from '../../src/io/netcdf/h5js/checksum.js';

const FEATURES = join(import.meta.dirname, 'peers', 'h5_features.py');
const ROOT = join(import.meta.dirname, '..', '..');
const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

type H5pyRaw = Record<string, { shape: number[]; le?: string; strings?: string[] }>;

function bytesOf(a: RawArray): Buffer {
  assert.ok(ArrayBuffer.isView(a), 'numeric array');
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function assertSameRaw(got: RawArray, want: RawArray, what: string): void {
  assert.equal(got.constructor, want.constructor, `${what}: array type`);
  if (Array.isArray(want)) assert.deepEqual(got, want, what);
  else assert.ok(bytesOf(got).equals(bytesOf(want)), `${what}: values differ`);
}

/** Everything the two engines report must be equal, and every value bit-exact with each other and with h5py. */
async function compareEngines(path: string, expectEngine: 'js' | 'h5wasm'): Promise<Dataset> {
  const a = await openDataset(path);
  const b = await openDataset(path, { hdf5: 'h5wasm' });
  try {
    assert.equal(a.engine, expectEngine, `${path}: engine`);
    assert.equal(b.engine, 'h5wasm');
    assert.equal(json(a.dims), json(b.dims), `${path}: dimensions`);
    assert.equal(json(a.vars), json(b.vars), `${path}: variables (names, dims, shapes, attributes, chunks, filters)`);
    assert.equal(json(a.attrs), json(b.attrs), `${path}: global attributes`);
    assert.equal(json(a.attrTypes), json(b.attrTypes), `${path}: global attribute types`);
    const ref = JSON.parse(py([FEATURES, 'raw', path])) as H5pyRaw;
    for (const v of b.vars) {
      const got = a.readRaw(v.name);
      assertSameRaw(got, b.readRaw(v.name), `${path}:${v.name} vs h5wasm`);
      const r = ref[v.name];
      if (r?.le) assert.ok(bytesOf(got).equals(Buffer.from(r.le, 'base64')), `${path}:${v.name}: values differ from h5py's`);
      if (r?.strings) assert.deepEqual(got, r.strings, `${path}:${v.name} vs h5py`);
      if (v.shape.length === 0 || v.shape.some((n) => n < 2)) continue;
      // An interior hyperslab that cuts through chunks on every axis.
      const start = v.shape.map((n) => Math.floor(n / 3));
      const count = v.shape.map((n, d) => Math.max(1, Math.ceil(n / 2) - start[d]));
      assertSameRaw(a.readRaw(v.name, { start, count }), b.readRaw(v.name, { start, count }), `${path}:${v.name}[${start}+${count}]`);
    }
  } finally {
    b.close();
  }
  return a;
}

test('pure-JS HDF5 reader equals h5wasm and h5py on netCDF4-python and h5py feature files', async (t) => {
  const dir = tempDir(t);
  py([FEATURES, 'make', dir]);
  const features = await compareEngines(join(dir, 'features.nc'), 'js');
  t.after(() => features.close());
  // Spot checks against the values the peer wrote, so equality above is not equality of two wrong readers.
  assert.deepEqual(Array.from(features.readRaw('nodimvar') as Int8Array), [1, -2, 3, -4]);
  assert.deepEqual(features.readRaw('scalar'), Int32Array.of(42));
  assert.equal(features.attrs.vstr, 'a variable-length string');
  assert.equal(features.attrTypes.vstr, 'string');
  assert.equal(features.attrs.i64, 2n ** 40n);
  assert.deepEqual(features.dim('time'), { name: 'time', size: 5, unlimited: true });
  assert.deepEqual(features.variable('z').filters, ['shuffle', 'deflate']);
  const partial = features.readRaw('partial') as Int32Array;
  assert.equal(partial[0], 7, 'written chunk');
  assert.equal(partial[16], -1, 'unwritten chunk reads as the fill value');
  assert.deepEqual((features.readRaw('labels') as string[]).slice(0, 2), ['label-0', 'label-1']);
  for (const f of ['latest.h5', 'old.h5', 'extarray.h5']) (await compareEngines(join(dir, f), 'js')).close();
});

test('features the pure-JS reader does not decode open through h5wasm, with the same values', async (t) => {
  const dir = tempDir(t);
  py([FEATURES, 'make', dir]);
  for (const [file, why] of [
    ['fletcher32.nc', /filter 'fletcher32' on variable 'v'/],
    ['btree2.h5', /version 2 B-tree/],
  ] as const) {
    const path = join(dir, file);
    (await compareEngines(path, 'h5wasm')).close();
    await assert.rejects(openDataset(path, { hdf5: 'js' }), (e: unknown) => {
      assert.ok(e instanceof NunatakError);
      assert.ok(e.message.includes(path), e.message);
      assert.match(e.message, why);
      return true;
    });
  }
});

test('real files: the shipped NetCDF4 sample, HISTALP as NetCDF4 (plain and deflated), and nunatak output', async (t) => {
  const dir = tempDir(t);
  (await compareEngines(join(ROOT, 'data', 'netcdf', 'A1B_north_america.nc'), 'js')).close();
  const histalp = join(ROOT, 'data', 'hintereisferner', 'histalp_merged_hef.nc');
  const nc3 = await openDataset(histalp);
  t.after(() => nc3.close());
  for (const level of [undefined, '4']) {
    const path = join(dir, `histalp-nc4-${level ?? 'plain'}.nc`);
    py([FEATURES, 'convert', histalp, path, ...(level ? [level] : [])]);
    const ds = await compareEngines(path, 'js');
    // Same numbers as the NetCDF3 original through nunatak's NetCDF3 reader.
    for (const v of nc3.vars) assertSameRaw(ds.readRaw(v.name), nc3.readRaw(v.name), `${path}:${v.name} vs the NetCDF3 original`);
    assert.equal(json(ds.variable('temp').attrs), json(nc3.variable('temp').attrs));
    ds.close();
  }
  const out = join(dir, 'nunatak-out.nc');
  const w = await createNetcdf(out, {
    grid: { nx: 7, ny: 5, x0: 0, y0: 0, dx: 100, dy: 100 },
    time: { units: 'days since 2000-01-01', calendar: '360_day' },
    variables: [{ name: 'thk', units: 'm' }],
  });
  for (let k = 0; k < 3; k++) w.append(k * 30, { thk: Float32Array.from({ length: 35 }, (_, i) => i + 100 * k) });
  const ds = await compareEngines(out, 'js');
  assert.deepEqual(Array.from(ds.readRaw('thk', { start: [2, 0, 0], count: [1, 1, 3] }) as Float32Array), [200, 201, 202]);
  ds.close();
});


test('damaged metadata: the pure-JS reader opens or fails with a clear error, never hangs or crashes', async (t) => {
  const dir = tempDir(t);
  py([FEATURES, 'make', dir]);
  const good = readFileSync(join(dir, 'features.nc'));
  // Deterministic single-byte corruptions across the metadata-heavy start of the file.
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let opened = 0;
  let refused = 0;
  for (let k = 0; k < 150; k++) {
    const bad = Buffer.from(good);
    const at = Math.floor(rand() * Math.min(bad.length, 12000));
    bad[at] ^= 1 + Math.floor(rand() * 255);
    const path = join(dir, `bad-${k}.nc`);
    writeFileSync(path, bad);
    let ds: Dataset | undefined;
    try {
      ds = await openDataset(path, { hdf5: 'js' });
    } catch (e) {
      assert.ok(e instanceof NunatakError, `byte ${at}: ${(e as Error).stack}`);
      assert.ok(e.message.includes(path), e.message);
      refused++;
      continue;
    }
    opened++;
    for (const v of ds.vars) {
      if (v.shape.reduce((a, b) => a * b, 1) > 1e6) continue;
      try {
        ds.readRaw(v.name);
      } catch (e) {
        assert.ok(e instanceof NunatakError, `byte ${at}, variable ${v.name}: ${(e as Error).stack}`);
      }
    }
    ds.close();
  }
  assert.equal(opened + refused, 150);
});

test('metadata checksum is lookup3 hashlittle (values from Jenkins\' lookup3.c self-test) and guards headers', async (t) => {
  assert.equal(lookup3(Buffer.from('')), 0xdeadbeef);
  assert.equal(lookup3(Buffer.from('Four score and seven years ago')), 0x17770551);
  // A flipped byte inside a version 2 object header's checksummed block is refused by the JS reader, not misread.
  const dir = tempDir(t);
  py([FEATURES, 'make', dir]);
  const b = readFileSync(join(dir, 'latest.h5'));
  const at = b.indexOf('OHDR', 48) + 12;
  b[at] ^= 0x40;
  const path = join(dir, 'latest-bad.h5');
  writeFileSync(path, b);
  await assert.rejects(openDataset(path, { hdf5: 'js' }), (e: unknown) => e instanceof NunatakError && /checksum/.test(e.message));
});
