/**
 * `nunatak view` on zarr stores: a format-2 store written by Debian's
 * zarr-python 2.13 (Blosc-compressed chunks, a packed int16 variable, a
 * scalar grid-mapping array) and nunatak's own stores (format 2 and 3) are
 * listed as single files and served through /api/meta and /api/slab. The
 * reference is xarray.open_zarr of the same store (mask and scale on): slab
 * values and a hover cell (value and its x/y) must equal float32 of xarray's
 * values exactly. Only the chunks a slab overlaps are read (counted at the
 * store; a corrupt chunk of time 2 does not disturb time 0), and a corrupt
 * .zarray, a corrupt chunk (raw or Blosc) and a chunk linked outside the store
 * are clear errors (422 from the server).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGrid } from '../../src/core/field/grid.ts';
import { createZarr } from '../../src/io/zarr/index.ts';
import { readMap } from '../../src/view/hyperslab.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import { openZarrSource } from '../../src/view/sources/zarr-source.ts';
import { GuardedZarrStore } from '../../src/view/sources/zarr-store.ts';
import type { FileEntry, FileMeta } from '../../src/view/protocol.ts';
import { py } from '../io/peer.ts';

const NT = 3;
const NY = 30;
const NX = 40;
/** Thickness (m) at (t, j, i), NaN in one corner cell. */
const thk = (t: number, j: number, i: number) => (j === 0 && i === 0 ? NaN : 100 * t + j + i / 8);

const PY_WRITE = `
import sys, numpy as np, zarr
g = zarr.open_group(sys.argv[1], mode='w')
g.attrs['title'] = 'python fixture'
def coord(name, vals, **attrs):
    # no fill value: zarr-python's default 0.0 would mask time 0 (xarray reads it as NaT)
    a = g.create_dataset(name, data=np.asarray(vals, dtype='f8'), fill_value=None)
    a.attrs.update(_ARRAY_DIMENSIONS=[name], **attrs)
coord('time', [0., 31., 59.], units='days since 2000-01-01', calendar='standard')
coord('y', 5183000 + 100 * np.arange(${NY}), units='m', standard_name='projection_y_coordinate')
coord('x', 630000 + 100 * np.arange(${NX}), units='m', standard_name='projection_x_coordinate')
crs = g.create_dataset('crs', shape=(), dtype='i4')
crs[...] = 0
crs.attrs.update(_ARRAY_DIMENSIONS=[], grid_mapping_name='transverse_mercator', epsg_code='EPSG:32632')
t, j, i = np.meshgrid(np.arange(${NT}), np.arange(${NY}), np.arange(${NX}), indexing='ij')
v = (100 * t + j + i / 8).astype('f4')
v[:, 0, 0] = np.nan
a = g.create_dataset('thk', shape=v.shape, chunks=(1, 16, 16), dtype='f4', fill_value=np.nan)
a[:] = v
a.attrs.update(_ARRAY_DIMENSIONS=['time', 'y', 'x'], units='m', long_name='ice thickness', grid_mapping='crs')
p = (j[0] * 7 - i[0] * 3).astype('i2')
p[2, 5] = -999
b = g.create_dataset('smb', data=p, chunks=(16, 16), fill_value=-999)
b.attrs.update(_ARRAY_DIMENSIONS=['y', 'x'], units='m a-1', scale_factor=0.01, add_offset=-1.5, grid_mapping='crs')
zarr.consolidate_metadata(sys.argv[1])
`;

/** xarray's decoded values of a store: thk at time 1, smb, and a hover cell. */
const PY_READ = `
import sys, json, math, xarray as xr
ds = xr.open_zarr(sys.argv[1])
j, i = int(sys.argv[2]), int(sys.argv[3])
flat = lambda a: [None if math.isnan(x) else x for x in a.ravel().tolist()]
out = {'thk1': flat(ds.thk.isel(time=1).values), 'attrs': {k: str(x) for k, x in ds.thk.attrs.items()}, 'days': [str(t)[:10] for t in ds.time.values]}
c = ds.thk.isel(time=1, y=j, x=i)
out['hover'] = {'value': float(c.values), 'x': float(c.x), 'y': float(c.y)}
if 'smb' in ds: out['smb'] = flat(ds.smb.values)
print(json.dumps(out))
`;
interface PyRead {
  thk1: Array<number | null>;
  attrs: Record<string, string>;
  hover: { value: number; x: number; y: number };
  /** Decoded times, YYYY-MM-DD. */
  days: string[];
  smb?: Array<number | null>;
}
const xr = (store: string, j: number, i: number) => JSON.parse(py(['-c', PY_READ, store, String(j), String(i)])) as PyRead;

let dir: string;
let server: ViewServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-view-zarr-'));
  py(['-c', PY_WRITE, join(dir, 'py.zarr')]);
  for (const f of [2, 3] as const) {
    const w = await createZarr(join(dir, `nk${f}.zarr`), {
      zarrFormat: f,
      grid: makeGrid({ nx: NX, ny: NY, x0: 630000, y0: 5183000, dx: 100, dy: 100, crs: 'EPSG:32632' }),
      time: { units: 'days since 2000-01-01', calendar: '365_day' },
      times: [0, 365, 730],
      variables: [{ name: 'thk', units: 'm', longName: 'ice thickness' }],
      chunks: { thk: [1, 16, 16] },
    });
    for (let t = 0; t < NT; t++) {
      const a = new Float32Array(NY * NX);
      for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) a[j * NX + i] = thk(t, j, i);
      await w.writeBlock('thk', [t, 0, 0], [1, NY, NX], a);
    }
  }
  // a store whose .zarray is not JSON, one with a chunk linked outside the store
  py(['-c', PY_WRITE, join(dir, 'bad', 'meta.zarr')]);
  writeFileSync(join(dir, 'bad', 'meta.zarr', 'thk', '.zarray'), '{"zarr_format": 2, "shape": [3, 30');
  writeFileSync(join(dir, 'secret.bin'), Buffer.alloc(1024, 7));
  py(['-c', PY_WRITE, join(dir, 'bad', 'link.zarr')]);
  unlinkSync(join(dir, 'bad', 'link.zarr', 'thk', '0.0.0'));
  symlinkSync(join(dir, 'secret.bin'), join(dir, 'bad', 'link.zarr', 'thk', '0.0.0'));
  mkdirSync(join(dir, 'empty-folder'));
  server = await startViewServer({ paths: [dir, join(dir, 'py.zarr')], port: 0 });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => fetch(`${server.url}${path}`);
const meta = async (id: string) => {
  const r = await get(`api/meta/${id}`);
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as FileMeta;
};
const slab = async (path: string) => {
  const r = await get(path);
  assert.equal(r.status, 200, await r.clone().text());
  return { shape: r.headers.get('x-nunatak-shape'), data: new Float32Array(await r.arrayBuffer()) };
};
/** Served float32 values equal float32 of xarray's (null = NaN), within `tol` absolute (default: exactly). */
function sameAsXarray(served: Float32Array, ref: Array<number | null>, what: string, tol = 0): void {
  assert.equal(served.length, ref.length, what);
  for (let k = 0; k < ref.length; k++) {
    const want = ref[k] === null ? NaN : Math.fround(ref[k]!);
    const ok = Object.is(served[k], want) || Math.abs(served[k] - want) <= tol;
    assert.ok(ok, `${what} cell ${k}: served ${served[k]}, xarray ${ref[k]}`);
  }
}

test('zarr stores are listed as single files; their inner files are neither listed nor served', async () => {
  const files = (await (await get('api/files')).json()) as FileEntry[];
  const ids = files.map((f) => `${f.id}:${f.kind}`);
  for (const id of ['0/py.zarr:zarr', '0/nk2.zarr:zarr', '0/nk3.zarr:zarr', '0/bad/meta.zarr:zarr', '1:zarr']) assert.ok(ids.includes(id), `${id} in ${ids.join(' ')}`);
  assert.ok(!files.some((f) => /\.zarr\//.test(f.id)), 'nothing inside a store is listed');
  assert.ok(files.find((f) => f.id === '1')!.size > 0);
  const inner = await get('api/slab/0/py.zarr/thk/.zarray?var=thk');
  assert.equal(inner.status, 422);
  assert.match(((await inner.json()) as { error: { message: string } }).error.message, /not a file nunatak view can show/);
});

test('python zarr 2.13 store: dims, attributes, CRS; slab, packed int16 and hover cell equal xarray.open_zarr', async () => {
  const store = join(dir, 'py.zarr');
  const ref = xr(store, 12, 25);
  for (const id of ['0/py.zarr', '1']) {
    const m = await meta(id);
    assert.equal(m.kind, 'zarr');
    assert.equal(m.format, 'zarr v2');
    assert.equal(m.attrs.title, 'python fixture');
    assert.deepEqual(m.dims, [{ name: 'time', size: 3 }, { name: 'y', size: 30 }, { name: 'x', size: 40 }]);
    const v = m.vars.find((x) => x.name === 'thk')!;
    assert.deepEqual([v.dims, v.shape, v.map], [['time', 'y', 'x'], [3, 30, 40], { y: 1, x: 2 }]);
    assert.equal(v.attrs.long_name, ref.attrs.long_name);
    assert.equal(v.attrs.units, 'm');
    assert.equal(v.crs?.label, 'EPSG:32632');
    assert.deepEqual(m.coords.time.labels?.map((s) => s.slice(0, 10)), ref.days);
    assert.deepEqual(ref.days, ['2000-01-01', '2000-02-01', '2000-02-29']);
    const s = await slab(`api/slab/${id}?var=thk&at=1,0,0`);
    assert.equal(s.shape, '30,40');
    sameAsXarray(s.data, ref.thk1, `${id} thk[1]`);
    // hover readout: the cell's value and its projected coordinates
    assert.equal(s.data[12 * NX + 25], Math.fround(ref.hover.value));
    assert.deepEqual([m.coords.x.values[25], m.coords.y.values[12]], [ref.hover.x, ref.hover.y]);
    // int16 packed with scale_factor/add_offset, -999 masked. xarray unpacks int16 in float32
    // arithmetic, nunatak in float64 (0.01 is not a float32) rounded once: xarray's rounding
    // of x·0.01 and of the sum (|values| ≤ 4, float32 ulp ≤ 2.4e-7 each) bounds the gap by 5e-7.
    sameAsXarray((await slab(`api/slab/${id}?var=smb`)).data, ref.smb!, `${id} smb`, 5e-7);
    assert.ok(ref.smb![2 * NX + 5] === null && Number.isNaN((await slab(`api/slab/${id}?var=smb`)).data[2 * NX + 5]), 'fill -999 masked');
  }
});

test('nunatak zarr stores, format 2 (checked against xarray) and format 3: same values and dims', async () => {
  const ref = xr(join(dir, 'nk2.zarr'), 7, 31);
  for (const f of [2, 3]) {
    const m = await meta(`0/nk${f}.zarr`);
    assert.equal(m.format, `zarr v${f}`);
    const v = m.vars.find((x) => x.name === 'thk')!;
    assert.deepEqual([v.dims, v.map, v.crs?.label], [['time', 'y', 'x'], { y: 1, x: 2 }, 'EPSG:32632']);
    assert.equal(v.attrs.long_name, 'ice thickness');
    assert.deepEqual(m.coords.time.labels?.map((s) => s.slice(0, 10)), ['2000-01-01', '2001-01-01', '2002-01-01']);
    const s = await slab(`api/slab/0/nk${f}.zarr?var=thk&at=1,0,0`);
    sameAsXarray(s.data, ref.thk1, `nk${f} thk[1]`);
    assert.equal(s.data[7 * NX + 31], Math.fround(thk(1, 7, 31)));
    assert.deepEqual([m.coords.x.values[31], m.coords.y.values[7]], [ref.hover.x, ref.hover.y]);
  }
});

test('a corrupt .zarray, a corrupt chunk and a chunk linked outside the store are 422 errors naming them', async () => {
  const r = await get('api/meta/0/bad/meta.zarr');
  assert.equal(r.status, 422);
  const e = ((await r.json()) as { error: { message: string } }).error;
  assert.match(e.message, /meta\.zarr: thk\/\.zarray is not a JSON object/);
  // only time 2's chunks are corrupt: time 0 is still served
  const store = join(dir, 'nk2.zarr');
  writeFileSync(join(store, 'thk', '2.0.0'), Buffer.from('not a chunk'));
  assert.equal((await slab('api/slab/0/nk2.zarr?var=thk&at=0,0,0')).data[1], Math.fround(thk(0, 0, 1)));
  const c = await get('api/slab/0/nk2.zarr?var=thk&at=2,0,0');
  assert.equal(c.status, 422);
  assert.match(((await c.json()) as { error: { message: string } }).error.message, /nk2\.zarr: 'thk': chunk \[2, 0, 0\] decodes to 2 values, expected 256 \(1 × 16 × 16\)/);
  const l = await get('api/slab/0/bad/link.zarr?var=thk&at=0,0,0');
  assert.equal(l.status, 422);
  assert.match(((await l.json()) as { error: { message: string } }).error.message, /'\/thk\/0\.0\.0' leads outside the zarr store/);
  // the server is still up
  assert.equal((await get('api/files')).status, 200);
});

test('a slab reads only the chunks it overlaps, windows across chunk edges are exact; a corrupt Blosc chunk is an error naming the array', async () => {
  const store = join(dir, 'py.zarr');
  const src = await openZarrSource(store);
  const keys: string[] = [];
  const get = GuardedZarrStore.prototype.get;
  GuardedZarrStore.prototype.get = function (key) {
    keys.push(key);
    return get.call(this, key);
  };
  try {
    const v = src.vars.find((x) => x.name === 'thk')!;
    await readMap(src, v, [1, 0, 0], 'py.zarr');
  } finally {
    GuardedZarrStore.prototype.get = get;
  }
  // 30 × 40 in 16 × 16 chunks: 2 × 3 chunks of time 1, nothing else
  assert.deepEqual(keys.sort(), ['/thk/1.0.0', '/thk/1.0.1', '/thk/1.0.2', '/thk/1.1.0', '/thk/1.1.1', '/thk/1.1.2']);
  // a window across chunk edges, off the origin: the fixture's formula
  const w = await src.read('thk', [1, 5, 13], [2, 20, 9]);
  for (let t = 0; t < 2; t++) for (let j = 0; j < 20; j++) for (let i = 0; i < 9; i++) assert.equal(w[(t * 20 + j) * 9 + i], Math.fround(thk(1 + t, 5 + j, 13 + i)));
  writeFileSync(join(store, 'thk', '2.1.1'), Buffer.alloc(200, 1));
  await assert.rejects(async () => src.read('thk', [2, 16, 16], [1, 2, 2]), (e: Error) => /py\.zarr: 'thk': chunk \[2, 1, 1\] decodes to 0 values, expected 256/.test(e.message));
});
