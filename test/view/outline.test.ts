/**
 * Outline overlay of `nunatak view`: a served polygon shapefile (the RGI6
 * Hintereisferner outline, WGS 84) is reprojected to the CRS of the map shown
 * (the UTM 32N sim-like fixture's grid mapping). The server's rings equal
 * GDAL's (`ogr2ogr -t_srs EPSG:32632`) to 0.01 m; a variable without a CRS is
 * a clear 400. In headless Chromium the outline is stroked over the map: the
 * display cell holding a ring vertex has outline pixels, and the toggle
 * clears them — in the single-file view and in the sim face (a run folder
 * served with the .shp given as a path of its own). Screenshots:
 * view-outline.png, view-outline-sim.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import type { FileMeta, OutlineData, OutlineEntry } from '../../src/view/protocol.ts';
import { buildAndLaunch, shotPath } from './browser-setup.ts';
import { CRS, writeSimLike } from './view-helpers.ts';

const SHP = 'data/hintereisferner/Hintereisferner_RGI6';
/** proj4js vs PROJ (GDAL) for the same UTM projection: agreement in metres. */
const TOL_M = 0.01;

let dir: string;
let server: ViewServer;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-view-outline-'));
  await writeSimLike(join(dir, 'output.nc'));
  for (const ext of ['shp', 'shx', 'dbf', 'prj']) copyFileSync(`${SHP}.${ext}`, join(dir, `Hintereisferner_RGI6.${ext}`));
  server = await startViewServer({ paths: [dir], port: 0 });
  browser = await buildAndLaunch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const getJson = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const r = await fetch(new URL(path, server.url));
  return { status: r.status, body: (await r.json()) as T };
};
const OUTLINE = '/api/outline/0/Hintereisferner_RGI6.shp';

test('the outline endpoint returns the shapefile rings in the map file CRS, as GDAL reprojects them', async () => {
  const list = await getJson<OutlineEntry[]>('/api/outlines');
  assert.deepEqual(list.body.map((o) => o.id), ['0/Hintereisferner_RGI6.shp']);
  const r = await getJson<OutlineData>(`${OUTLINE}?for=0/output.nc&var=thk`);
  assert.equal(r.status, 200);
  assert.match(r.body.sourceCrs, /WGS_1984/);
  const gj = execFileSync('ogr2ogr', ['-t_srs', CRS, '-f', 'GeoJSON', '/vsistdout/', join(dir, 'Hintereisferner_RGI6.shp')], { encoding: 'utf8' });
  const geom = (JSON.parse(gj) as { features: Array<{ geometry: { type: string; coordinates: number[][][] } }> }).features.map((f) => f.geometry);
  const want = geom.flatMap((g) => (g.type === 'Polygon' ? g.coordinates : (g.coordinates as unknown as number[][][][]).flat()));
  assert.deepEqual(r.body.rings.map((x) => x.length), want.map((x) => x.length), 'same rings, same vertex counts');
  let worst = 0;
  r.body.rings.forEach((ring, k) => ring.forEach(([x, y], n) => (worst = Math.max(worst, Math.hypot(x - want[k][n][0], y - want[k][n][1])))));
  console.log(`outline: ${want.length} rings, ${want.reduce((a, x) => a + x.length, 0)} vertices; max |nunatak − ogr2ogr| = ${worst.toExponential(2)} m`);
  assert.ok(worst <= TOL_M, `worst ${worst} m`);

  const bad = await getJson<{ error: { code: string; message: string } }>(`${OUTLINE}?for=0/output.nc&var=vol`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /0\/output\.nc: variable 'vol' has no grid mapping/);
  const notShp = await getJson<{ error: { message: string } }>('/api/outline/0/output.nc?for=0/output.nc&var=thk');
  assert.equal(notShp.status, 400);
  // sent raw: fetch() would resolve the encoded '..' itself
  const status = await new Promise<number>((resolve, reject) =>
    request({ host: '127.0.0.1', port: server.port, path: '/api/outline/0/%2e%2e/x.shp?for=0/output.nc&var=thk' }, (res) => resolve(res.resume().statusCode!)).on('error', reject).end(),
  );
  assert.equal(status, 403);
});

test('Chromium draws the outline over the map at the cell of a ring vertex; the toggle clears it', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => ((globalThis as any).__view?.outline?.drawn ?? 0) > 0);
    const meta = await getJson<FileMeta>('/api/meta/0/output.nc');
    const xs = meta.body.coords.x.values;
    const ys = meta.body.coords.y.values;
    const [nx, ny] = [xs.length, ys.length];
    const rings = (await getJson<OutlineData>(`${OUTLINE}?for=0/output.nc&var=thk`)).body.rings;
    // a vertex inside the grid, away from its edges
    const inside = ([x, y]: [number, number]) => x > xs[1] && x < xs[nx - 2] && y > Math.min(ys[1], ys[ny - 2]) && y < Math.max(ys[1], ys[ny - 2]);
    const vtx = rings.flat().find(inside);
    assert.ok(vtx, 'the outline crosses the fixture grid');
    const i = Math.round((vtx[0] - xs[0]) / (xs[1] - xs[0]));
    const j = Math.round((vtx[1] - ys[0]) / (ys[1] - ys[0]));
    const row = ys[ny - 1] > ys[0] ? ny - 1 - j : j; // north up
    const count = () =>
      page.evaluate(([ci, cr, cnx, cny]) => {
        const c = (globalThis as any).document.getElementById('outline');
        const [w, h] = [c.width / cnx, c.height / cny];
        const px = c.getContext('2d').getImageData(Math.floor(ci * w), Math.floor(cr * h), Math.ceil(w), Math.ceil(h)).data as Uint8ClampedArray;
        let inCell = 0;
        for (let k = 3; k < px.length; k += 4) if (px[k] > 0) inCell++;
        const all = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
        let total = 0;
        for (let k = 3; k < all.length; k += 4) if (all[k] > 0) total++;
        return { inCell, total };
      }, [i, row, nx, ny]);
    const on = await count();
    assert.ok(on.inCell > 0, `outline pixels in cell (${j}, ${i})`);
    await page.screenshot({ path: shotPath('view-outline.png') });
    await page.click('#outline-on');
    const off = await count();
    assert.equal(off.total, 0, 'toggled off: nothing drawn');
    assert.equal(await page.evaluate(() => (globalThis as any).__view.outline.drawn), 0);
  } finally {
    await page.close();
  }
});

/** Red outline pixels (#ff2d2d, not the face's magenta ice outline) in display cell (row, col) of a map overlay, and in all of it. */
const redPixels = (page: import('playwright-core').Page, sel: string, cell: [number, number], n: [number, number]) =>
  page.evaluate(
    ([s, [cr, ci], [cny, cnx]]) => {
      const c = (globalThis as any).document.querySelector(s);
      const [w, h] = [c.width / cnx, c.height / cny];
      const ctx = c.getContext('2d');
      // no named helper here: the bundler's keep-names wrapper does not exist in the page
      const counts = [ctx.getImageData(Math.floor(ci * w), Math.floor(cr * h), Math.ceil(w), Math.ceil(h)).data, ctx.getImageData(0, 0, c.width, c.height).data].map((d: Uint8ClampedArray) => {
        let k = 0;
        for (let p = 0; p < d.length; p += 4) if (d[p + 3] > 0 && d[p] > 200 && d[p + 1] < 110 && d[p + 2] < 110) k++;
        return k;
      });
      return { inCell: counts[0], total: counts[1] };
    },
    [sel, cell, n] as const,
  );

test('the sim face draws the outline of a .shp given on the command line over its map; the toggle clears it', async () => {
  const run = join(dir, 'run');
  mkdirSync(run);
  await writeSimLike(join(run, 'output.nc'));
  await writeSimLike(join(run, 'output_ts.nc')); // its 1-D vol series is the face's volume plot
  const srv = await startViewServer({ paths: [run, join(dir, 'Hintereisferner_RGI6.shp')], port: 0 });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  try {
    assert.deepEqual((await (await fetch(new URL('/api/outlines', srv.url))).json() as OutlineEntry[]).map((o) => o.id), ['1']);
    await page.goto(srv.url);
    await page.waitForFunction(() => ((globalThis as any).__view?.face?.outlineVertices ?? 0) > 0);
    const meta = (await (await fetch(new URL('/api/meta/0/output.nc', srv.url))).json()) as FileMeta;
    const xs = meta.coords.x.values;
    const ys = meta.coords.y.values;
    const rings = ((await (await fetch(new URL('/api/outline/1?for=0/output.nc&var=thk', srv.url))).json()) as OutlineData).rings;
    const vtx = rings.flat().find(([x, y]) => x > xs[1] && x < xs.at(-2)! && y > ys[1] && y < ys.at(-2)!)!;
    const i = Math.round((vtx[0] - xs[0]) / (xs[1] - xs[0]));
    const j = Math.round((vtx[1] - ys[0]) / (ys[1] - ys[0]));
    const cell: [number, number] = [ys.length - 1 - j, i]; // y grows with the row: north up
    const sel = '[data-panel="map"] canvas.overlay';
    const on = await redPixels(page, sel, cell, [ys.length, xs.length]);
    assert.ok(on.inCell > 0, `outline pixels in cell (${j}, ${i})`);
    await page.screenshot({ path: shotPath('view-outline-sim.png') });
    await page.click('#face-outline-on');
    await page.waitForFunction(() => (globalThis as any).__view.face.outlineVertices === 0);
    assert.equal((await redPixels(page, sel, cell, [ys.length, xs.length])).total, 0, 'toggled off: no outline pixels');
  } finally {
    await page.close();
    await srv.close();
  }
});
