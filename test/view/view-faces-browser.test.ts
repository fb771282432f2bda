/**
 * The per-face views of `nunatak view` in headless Chromium (Debian's
 * chromium driven by playwright-core), on outputs written by the project's
 * own code (test/view/face-fixtures.ts): a sim run folder opens in its view
 * with the thickness over the hillshaded bed and the ice outline, the time
 * slider redraws, hovering reads the file's value; volume/area/budget series
 * and the timings table equal the files; the models view shows forecast,
 * verification, difference and spread whose hover values equal the forecast
 * file, the A1B data at the valid time and numpy-style std(ddof=1) (7
 * significant digits as displayed), and score curves equal the scores file;
 * the hybrid view's hydrographs and metrics table equal streamflow.csv and
 * metrics.json; the emulator view plots train-history.csv and shows its maps.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { colorAt, getColormap, openDataset } from '../../src/io/index.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import { buildAndLaunch, shotPath } from './browser-setup.ts';
import { A1B, BASINS, DAYS, emulatorRun, flow, hybridEval, modelsRun, simRun } from './face-fixtures.ts';

const shot = shotPath;

let base: string;
let sim: string;
let server: ViewServer;
let browser: Browser;
let page: Page;

before(async () => {
  browser = await buildAndLaunch();
  base = mkdtempSync(join(tmpdir(), 'nk-view-fb-'));
  sim = await simRun();
  await modelsRun(join(base, 'models'));
  hybridEval(join(base, 'hybrid', 'test_2000_2001'));
  emulatorRun(join(base, 'emu'));
  server = await startViewServer({ paths: [sim, join(base, 'models'), A1B, join(base, 'hybrid'), join(base, 'emu')], port: 0 });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// page.evaluate callbacks run in the page: its globals are reached through `globalThis` (Node has no DOM types)
interface FaceRecord {
  kind?: string;
  draws: number;
  plots: Record<string, Array<Array<number | null>>>;
  tables: Record<string, string[][]>;
}
const face = () => page.evaluate(() => (globalThis as any).__view.face as FaceRecord);
const waitFace = (kind: string, draws: number) => page.waitForFunction(([k, n]) => (globalThis as any).__view.face?.kind === k && (globalThis as any).__view.face.draws >= n, [kind, draws] as const);
const waitMore = (n: number) => page.waitForFunction((k) => (globalThis as any).__view.face.draws > k, n);
const canvasSel = (p: string) => `[data-panel="${p}"] canvas:not(.overlay)`;
const pixels = (sel: string) =>
  page.evaluate((s) => {
    const c = (globalThis as any).document.querySelector(s);
    return { w: c.width as number, h: c.height as number, px: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray) };
  }, sel);
/** Hover cell (j, i) of a map panel drawn north up (row j at ny−1−j); the readout's first value. */
async function hover(p: string, j: number, i: number, ny: number, nx: number): Promise<{ value: number; text: string }> {
  const box = (await page.locator(canvasSel(p)).boundingBox())!;
  await page.mouse.move(box.x + ((i + 0.5) / nx) * box.width, box.y + ((ny - 1 - j + 0.5) / ny) * box.height);
  const text = (await page.textContent(`[data-panel="${p}"] .readout`))!;
  return { value: Number(/ = (\S+)/.exec(text)?.[1]), text };
}
const close = (got: number, want: number, rel: number, what: string) => assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-3), `${what}: view ${got}, file ${want}`);

test('sim run folder: thickness over the hillshaded bed with outline, time slider, hover = file; series and timings = files', async () => {
  await page.goto(server.url);
  await waitFace('sim', 3);
  const ds = await openDataset(join(sim, 'output.nc'));
  const [nt, ny, nx] = ds.variable('thk').shape;
  const last = nt - 1;
  const thk = ds.read('thk', { start: [last, 0, 0], count: [1, ny, nx] }).data;
  const years = ds.read('time').data;
  const n = (await face()).draws;
  await page.fill('#face-slider-time', String(last));
  await waitMore(n);
  assert.match((await page.textContent('#face-value-time'))!, new RegExp(`^${String(years[last]).padStart(4, '0')}-01-01`), 'the slider shows the CF date of the last save');
  let top = 0;
  for (let k = 1; k < thk.length; k++) if (thk[k] > thk[top]) top = k;
  const [tj, ti] = [Math.floor(top / nx), top % nx];
  const h = await hover('map', tj, ti, ny, nx);
  close(h.value, thk[top], 1e-6, `thk at (${tj}, ${ti})`);
  assert.match(h.text, new RegExp(`y\\[${tj}\\], x\\[${ti}\\]`));
  const m = await pixels(canvasSel('map'));
  const px = (j: number, i: number) => m.px.slice(((ny - 1 - j) * m.w + i) * 4, ((ny - 1 - j) * m.w + i) * 4 + 4);
  assert.deepEqual(px(tj, ti), [...colorAt(getColormap('viridis'), 1), 255], 'thickest cell = top of viridis');
  const free = thk.findIndex((v) => v === 0);
  const g = px(Math.floor(free / nx), free % nx);
  assert.ok(g[0] === g[1] && g[1] === g[2] && g[3] === 255, `ice-free cell is hillshade grey, got ${g}`);
  const greys = new Set(Array.from(thk).flatMap((v, k) => (v === 0 ? [px(Math.floor(k / nx), k % nx)[0]] : [])));
  assert.ok(greys.size > 3, 'the bed is shaded (several grey levels)');
  const over = await pixels(`[data-panel="map"] canvas.overlay`);
  assert.ok(over.px.some((v, k) => k % 4 === 3 && v > 0), 'the ice outline is drawn');
  const f = await face();
  const ts = await openDataset(join(sim, 'output_ts.nc'));
  for (const name of ['vol', 'area']) {
    assert.deepEqual(f.plots[`series-${name}`][1], Array.from(ts.read(name).data, (v) => Math.fround(v)), `${name} series`);
  }
  assert.deepEqual(f.plots['series-vol'][0], Array.from(ts.read('time').data));
  assert.deepEqual(f.plots['series-smb_volume-outflow_volume-clipped_volume'][2], Array.from(ts.read('outflow_volume').data, (v) => Math.fround(v)));
  ts.close();
  ds.close();
  const rows = readFileSync(join(sim, 'timings.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(f.tables.timings, rows.map((r, k) => (k === 0 ? r : r.map((c) => String(Number.isFinite(Number(c)) ? Number(c) : c)))));
  await page.screenshot({ path: shot('view-sim.png'), fullPage: true });
});

test('models folder: forecast | verification | difference and spread at a chosen start and lead; score curves = scores file', async () => {
  await page.click('#faces li[data-face="models"]');
  await waitFace('models', 2);
  const fc = await openDataset(join(base, 'models', 'fc.nc'));
  const [, m, , ny, nx] = fc.variable('t2m').shape;
  let n = (await face()).draws;
  await page.fill('#face-slider-start', '1');
  await waitMore(n);
  n = (await face()).draws;
  await page.fill('#face-slider-lead', '2');
  await waitMore(n);
  assert.match((await page.textContent('#face-value-start'))!, /^2042-06-01/);
  assert.equal(await page.textContent('#face-value-lead'), '17280 hours');
  const lat = fc.read('lat').data;
  assert.ok(lat[1] > lat[0], 'lat grows with the row index: the page draws north up');
  const [j, i] = [20, 30];
  const members = Array.from(fc.read('t2m', { start: [1, 0, 2, j, i], count: [1, m, 1, 1, 1] }).data);
  fc.close();
  const a1b = await openDataset(A1B);
  // initial time 2042-06-01 + lead 2 × 360 days (the source's 360_day calendar) = 2044-06-01
  const n44 = a1b.readTimes('time').findIndex((d) => d?.year === 2044 && d.month === 6 && d.day === 1);
  const ver = a1b.read('air_temperature', { start: [n44, j, i], count: [1, 1, 1] }).data[0];
  a1b.close();
  const mean = members.reduce((s, v) => s + v, 0) / m;
  const sd = Math.sqrt(members.reduce((s, v) => s + (v - mean) ** 2, 0) / (m - 1));
  close((await hover('forecast', j, i, ny, nx)).value, members[0], 1e-6, 'forecast member 0');
  close((await hover('verification', j, i, ny, nx)).value, ver, 1e-6, 'verification');
  close((await hover('difference', j, i, ny, nx)).value, members[0] - ver, 1e-4, 'forecast − verification');
  close((await hover('spread', j, i, ny, nx)).value, sd, 1e-5, 'spread');
  assert.ok(sd > 0, 'members differ');
  const sc = await openDataset(join(base, 'models', 'scores', 'persistence.scores.nc'));
  const f = await face();
  assert.deepEqual(f.plots['score-rmse'][0], Array.from(sc.read('lead_time').data));
  assert.deepEqual(f.plots['score-rmse'][1], Array.from(sc.read('rmse_t2m').data, (v) => Math.fround(v)));
  assert.deepEqual(f.plots['score-spread'][1], Array.from(sc.read('spread_t2m').data, (v) => Math.fround(v)));
  sc.close();
  await page.screenshot({ path: shot('view-models.png'), fullPage: true });
});

test('hybrid folder: hydrographs per basin and the metrics table equal streamflow.csv and metrics.json', async () => {
  await page.click('#faces li[data-face="hybrid"]');
  await waitFace('hybrid', 2);
  const col = (b: number, k: 'sim' | 'obs') => Array.from({ length: DAYS }, (_, t) => (Number.isNaN(flow(b, t)[k]) ? null : Number(flow(b, t)[k].toFixed(5))));
  let f = await face();
  assert.deepEqual(f.plots.hydrograph.slice(1), [col(0, 'obs'), col(0, 'sim')]);
  const n = f.draws;
  await page.selectOption('#face-select-basin', BASINS[1]);
  await waitMore(n);
  f = await face();
  assert.deepEqual(f.plots.hydrograph.slice(1), [col(1, 'obs'), col(1, 'sim')]);
  assert.equal(f.plots.hydrograph[0][0], Date.UTC(2000, 0, 1) / 1000);
  const metrics = JSON.parse(readFileSync(join(base, 'hybrid', 'test_2000_2001', 'metrics.json'), 'utf8')) as Record<string, Record<string, number>>;
  const head = f.tables.metrics[0];
  assert.deepEqual(head.slice(0, 3), ['basin', 'n', 'nse']);
  f.tables.metrics.slice(1).forEach((row, b) => {
    assert.equal(row[0], BASINS[b]);
    head.slice(1).forEach((k, c) => close(Number(row[c + 1]), metrics[BASINS[b]][k], 1e-4, `${BASINS[b]} ${k}`));
  });
  await page.screenshot({ path: shot('view-hybrid.png'), fullPage: true });
});

test('emulator folder: learning curves from train-history.csv and the prediction maps', async () => {
  await page.click('#faces li[data-face="emulator"]');
  await waitFace('emulator', 1);
  const f = await face();
  assert.deepEqual(f.plots.learning[0], [1, 2, 3, 4, 5]);
  assert.deepEqual(f.plots.learning[1], [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]);
  assert.deepEqual(f.plots.learning[2], [1.2, 1.2 / 2, 1.2 / 3, 1.2 / 4, 1.2 / 5]);
  await page.waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll('#face figure img')).every((im: any) => im.complete && im.naturalWidth > 0));
  assert.equal(await page.locator('#face figure img').count(), 2);
  await page.screenshot({ path: shot('view-emulator.png'), fullPage: true });
  // picking a file leaves the face view for the single-file view
  await page.click('#files li:has-text("output.nc")');
  await page.waitForSelector('#face', { state: 'hidden' });
  assert.equal(await page.isVisible('#mapwrap'), true);
});
