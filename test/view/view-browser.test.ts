/**
 * `nunatak view` in a real headless Chromium (Debian's chromium driven by
 * playwright-core): the page paints the fixture's thickness map with the
 * ice-free corner at the low end of viridis, the thickest cell at the top end
 * and the NaN cell transparent; the time slider shows the CF date and redraws;
 * hovering a cell reads the value the NetCDF reader gives (7 significant
 * digits), its x/y exactly and lon/lat to 1e-5°; a 1-D variable becomes a line
 * plot; a truncated NetCDF gives an error panel and the server keeps serving.
 * Screenshots go to docs/img/view-*.png. First paint is reported, not asserted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { colorAt, getColormap, openDataset, resolveCrs, transformer } from '../../src/io/index.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import { buildAndLaunch, shotPath as shot } from './browser-setup.ts';
import { CI, CJ, CRS, DX, NX, NY, writeSimLike } from './view-helpers.ts';


let root: string;
let server: ViewServer;
let browser: Browser;
let page: Page;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'nk-view-'));
  await writeSimLike(join(root, 'output.nc'));
  writeFileSync(join(root, 'truncated.nc'), readFileSync(join(root, 'output.nc')).subarray(0, 4000));
  server = await startViewServer({ paths: [root], port: 0 });
  browser = await buildAndLaunch();
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

type Px = [number, number, number, number];
// page.evaluate callbacks run in the page: its globals are reached through `globalThis` (Node has no DOM types)
const mapPixels = () =>
  page.evaluate(() => {
    const c = (globalThis as any).document.getElementById('map');
    return { w: c.width as number, h: c.height as number, px: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray) };
  });
/** Canvas pixel of cell (j, i): y grows northwards, so row j is drawn at NY-1-j. */
const at = (m: { w: number; px: number[] }, j: number, i: number): Px => {
  const o = ((NY - 1 - j) * m.w + i) * 4;
  return m.px.slice(o, o + 4) as Px;
};
const rgba = (t: number): Px => [...colorAt(getColormap('viridis'), t), 255];
const draws = () => page.evaluate(() => (globalThis as any).__view.draws as number);

test('the map is painted with the right colours, the slider redraws, hover reads the file', async () => {
  await page.goto(server.url);
  await page.waitForFunction(() => (globalThis as any).__view?.draws > 0);
  const timing = await page.evaluate(() => {
    const nav = (globalThis as any).performance.getEntriesByType('navigation')[0];
    return { paint: (globalThis as any).__view.firstPaint as number, load: nav.loadEventEnd as number, dcl: nav.domContentLoadedEventEnd as number };
  });
  console.log(`# first map paint ${timing.paint.toFixed(0)} ms after navigation start (DOMContentLoaded ${timing.dcl.toFixed(0)} ms, load ${timing.load.toFixed(0)} ms)`);
  assert.equal(await page.textContent('#title'), 'thk — ice thickness');
  assert.equal(await page.inputValue('#vmin'), '0');
  assert.equal(await page.inputValue('#vmax'), '100'); // finite max at time 0 = dome height 100 m
  const m0 = await mapPixels();
  assert.deepEqual([m0.w, m0.h], [NX, NY]);
  assert.ok(new Set(m0.px.map((_, k) => (k % 4 === 0 ? m0.px.slice(k, k + 3).join() : ''))).size > 20, 'map has many colours');
  assert.deepEqual(at(m0, 0, 0), rgba(0), 'ice-free SW corner = lowest viridis level');
  assert.deepEqual(at(m0, CJ, CI), rgba(1), 'thickest cell = highest viridis level');
  assert.equal(at(m0, NY - 1, NX - 1)[3], 0, 'NaN cell is transparent');
  // cell 8 east of the centre: 100·(1 − 0.64) = 36 m at time 0
  assert.deepEqual(at(m0, CJ, CI + 8), rgba(0.36));
  assert.match((await page.textContent('#value-time'))!, /^2000-01-01/);

  const n = await draws();
  await page.fill('#slider-time', '3');
  await page.waitForFunction((k) => (globalThis as any).__view.draws > k, n);
  assert.match((await page.textContent('#value-time'))!, /^2030-01-01/);
  const m3 = await mapPixels();
  // same range (0…100 m), dome now 250 m high: that cell is 90 m
  assert.deepEqual(at(m3, CJ, CI + 8), rgba(0.9));
  assert.notDeepEqual(m3.px, m0.px);

  const box = (await page.locator('#map').boundingBox())!;
  const [j, i] = [CJ, CI + 8];
  await page.mouse.move(box.x + ((i + 0.5) / NX) * box.width, box.y + ((NY - 1 - j + 0.5) / NY) * box.height);
  const text = (await page.textContent('#readout'))!;
  const ds = await openDataset(join(root, 'output.nc'));
  const want = ds.read('thk', { start: [3, j, i], count: [1, 1, 1] }).data[0];
  const [x, y] = [ds.read('x').data[i], ds.read('y').data[j]];
  ds.close();
  const got = Number(/thk = (\S+) m/.exec(text)?.[1]);
  assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want), `readout ${text} vs file ${want}`);
  assert.match(text, new RegExp(`y\\[${j}\\], x\\[${i}\\]`));
  assert.match(text, new RegExp(`x = ${630000 + i * DX}, y = ${5183000 + j * DX}`));
  const [lon, lat] = transformer(resolveCrs(CRS, 'test'), resolveCrs('EPSG:4326', 'test'))(x, y);
  const ll = /lon (\S+), lat (\S+)/.exec(text)!;
  assert.ok(Math.abs(Number(ll[1]) - lon) < 1e-5 && Math.abs(Number(ll[2]) - lat) < 1e-5, `${ll[0]} vs ${lon}, ${lat}`);
  await page.screenshot({ path: shot('view-map.png') });
});

test('a 1-D variable is a line plot', async () => {
  const n = await draws();
  await page.click('#vars li:has-text("vol")');
  await page.waitForFunction((k) => (globalThis as any).__view.draws > k, n);
  assert.equal(await page.isVisible('#plot .uplot canvas'), true);
  assert.equal(await page.isVisible('#map'), false);
  assert.equal(await page.textContent('#plot .u-legend .u-series:nth-child(2) .u-label'), 'vol');
  await page.screenshot({ path: shot('view-series.png') });
});

test('a truncated NetCDF gives an error panel, and the server keeps serving', async () => {
  await page.click('#files li:has-text("truncated.nc")');
  await page.waitForSelector('#error:not([hidden])');
  const msg = (await page.textContent('#error'))!;
  assert.match(msg, /^IO: .*truncated\.nc: file is truncated/);
  assert.match(msg, /hint: /);
  assert.equal(await page.isVisible('#mapwrap'), false);
  await page.screenshot({ path: shot('view-error.png') });
  await page.click('#files li:has-text("output.nc")');
  await page.waitForSelector('#error', { state: 'hidden' });
  assert.equal(await page.textContent('#title'), 'thk — ice thickness');
});
