/**
 * What /api/slab serves besides NetCDF: map slices are read one band at a
 * time and strided, never the whole variable (checked on a synthetic
 * 100 × 2048 × 2048 source that counts what is read, and on one stored x-first
 * that must come out as (y, x)); a 1-D series is strided to ≤ 100 000 points;
 * a 3-D float64 .npy and a GeoTIFF are served through the HTTP API with the
 * values the files hold. Values are compared exactly (float32 of the stored value).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGrid } from '../../src/core/field/grid.ts';
import { Field } from '../../src/core/field/field.ts';
import { writeGeoTiff } from '../../src/io/index.ts';
import { writeNpy } from '../../src/io/npy/index.ts';
import { readMap, readSeries } from '../../src/view/hyperslab.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import type { VarMeta } from '../../src/view/protocol.ts';
import type { ViewSource } from '../../src/view/sources/source.ts';

/** A source whose values are g(index…), recording every read's element count. */
function synthetic(v: VarMeta, g: (idx: number[]) => number): { src: ViewSource; reads: Array<{ start: number[]; count: number[] }> } {
  const reads: Array<{ start: number[]; count: number[] }> = [];
  const src: ViewSource = {
    kind: 'netcdf',
    format: 'synthetic',
    attrs: {},
    dims: v.dims.map((name, k) => ({ name, size: v.shape[k] })),
    vars: [v],
    coords: () => ({}),
    read(_name, start, count) {
      reads.push({ start, count });
      const n = count.reduce((a, b) => a * b, 1);
      const out = new Float64Array(n);
      const idx = start.slice();
      for (let k = 0; k < n; k++) {
        out[k] = g(idx);
        for (let d = idx.length - 1; d >= 0; d--) {
          if (++idx[d] < start[d] + count[d]) break;
          idx[d] = start[d];
        }
      }
      return out;
    },
    close: () => undefined,
  };
  return { src, reads };
}

test('a time slice of a 100 × 2048 × 2048 variable reads that slice only, strided to 1024 × 1024', async () => {
  const v: VarMeta = { name: 'thk', dtype: 'float32', dims: ['time', 'y', 'x'], shape: [100, 2048, 2048], attrs: {}, map: { y: 1, x: 2 } };
  const g = ([t, j, i]: number[]) => t * 1e7 + j * 4096 + i;
  const { src, reads } = synthetic(v, g);
  const s = await readMap(src, v, [57, 0, 0], 'big');
  assert.deepEqual([s.shape, s.stride], [[1024, 1024], [2, 2]]);
  for (let j = 0; j < 1024; j += 7) for (let i = 0; i < 1024; i += 5) assert.equal(s.data[j * 1024 + i], Math.fround(g([57, 2 * j, 2 * i])));
  assert.ok(reads.every((r) => r.start[0] === 57 && r.count[0] === 1), 'only time step 57');
  const total = reads.reduce((a, r) => a + r.count.reduce((x, y) => x * y, 1), 0);
  assert.equal(total, 2048 * 2048, 'one slice read once, not the variable (4.2e8 values)');
  assert.ok(reads.every((r) => r.count.reduce((x, y) => x * y, 1) <= 1 << 22), 'each read at most one 4 Mi-value band');
  assert.deepEqual([s.min, s.max], [Math.fround(g([57, 0, 0])), Math.fround(g([57, 2046, 2046]))]);
});

test('a variable stored (x, y) is served as (y, x) with per-axis strides', async () => {
  const v: VarMeta = { name: 'a', dtype: 'float64', dims: ['x', 'y'], shape: [2500, 1200], attrs: {}, map: { y: 1, x: 0 } };
  const g = ([i, j]: number[]) => i * 10000 + j;
  const s = await readMap(synthetic(v, g).src, v, [0, 0], 'xy');
  // x: 2500 → stride 3 → 834 columns; y: 1200 → stride 2 → 600 rows
  assert.deepEqual([s.shape, s.stride], [[600, 834], [2, 3]]);
  for (const [j, i] of [[0, 0], [599, 833], [123, 456]]) assert.equal(s.data[j * 834 + i], g([3 * i, 2 * j]));
});

test('a long series is strided to at most 100 000 points', async () => {
  const v: VarMeta = { name: 's', dtype: 'float64', dims: ['t'], shape: [250_000], attrs: {} };
  const s = await readSeries(synthetic(v, ([k]) => k).src, v, 'series');
  assert.deepEqual([s.shape, s.stride], [[83_334], [3]]);
  assert.equal(s.data[83_333], 249_999);
});

let dir: string;
let server: ViewServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-view-slabs-'));
  // 3-D float64 .npy, map of the last two axes: 1100 rows → stride 2, 700 columns → stride 1
  const npy = new Float64Array(2 * 1100 * 700).map((_, k) => k / 3);
  writeNpy(join(dir, 'cube.npy'), npy, [2, 1100, 700], 'float64');
  const grid = makeGrid({ nx: 5, ny: 4, x0: 622050, y0: 5196950, dx: 100, dy: -100, crs: 'EPSG:32632' });
  const data = Float32Array.from({ length: 20 }, (_, k) => 2400 + 12.5 * k);
  data[7] = NaN;
  writeGeoTiff(join(dir, 'dem.tif'), new Field({ name: 'z', grid, units: 'm', data }));
  server = await startViewServer({ paths: [dir], port: 0 });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const slab = async (path: string) => {
  const r = await fetch(`${server.url}${path}`);
  assert.equal(r.status, 200, await r.clone().text());
  return { shape: r.headers.get('x-nunatak-shape'), stride: r.headers.get('x-nunatak-stride'), data: new Float32Array(await r.arrayBuffer()) };
};

test('a 3-D .npy is served strided at the chosen index of its first axis', async () => {
  const s = await slab('api/slab/0/cube.npy?var=array&at=1,0,0');
  assert.deepEqual([s.shape, s.stride], ['550,700', '2,1']);
  for (const [j, i] of [[0, 0], [549, 699], [200, 31]]) assert.equal(s.data[j * 700 + i], Math.fround((1 * 1100 * 700 + 2 * j * 700 + i) / 3));
});

test('a GeoTIFF band is served with its values, NaN where nodata, and its CRS and coordinates', async () => {
  const meta = (await (await fetch(`${server.url}api/meta/0/dem.tif`)).json()) as { vars: VarMeta[]; coords: Record<string, { values: number[] }> };
  assert.equal(meta.vars[0].crs?.label, 'EPSG:32632');
  assert.deepEqual(meta.coords.y.values, [5196950, 5196850, 5196750, 5196650]);
  const s = await slab('api/slab/0/dem.tif?var=band1');
  assert.deepEqual([s.shape, s.stride], ['4,5', '1,1']);
  for (let k = 0; k < 20; k++) assert.ok(k === 7 ? Number.isNaN(s.data[k]) : s.data[k] === 2400 + 12.5 * k, `cell ${k}: ${s.data[k]}`);
});
