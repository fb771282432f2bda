/**
 * A saved UDF result in `nunatak view` (issue #16: "open … a UDF result"):
 * `nunatak udf run sumsig` writes sumsig.nc and sumsig_intensity.npy from a
 * 4-D scan; the viewer, pointed at the output folder, draws each as a map and
 * the hover readout equals the sum over the signal axes computed here in
 * float64 from the scan itself (independent of nunatak's readers), to 1e-6
 * relative (the scan is float32, the sums float64 on both sides).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeNpy } from '../../src/io/index.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import { buildAndLaunch } from './browser-setup.ts';

const [NY, NX, SY, SX] = [6, 8, 5, 4];
// distinct, non-symmetric values: a transposed or flipped map would read a different sum
const scanValue = (j: number, i: number, a: number, b: number): number => Math.fround(0.5 + j * 1.7 + i * 0.31 + Math.sin(a * 1.3 + b * 0.7 + j));
const expectedSum = (j: number, i: number): number => {
  let s = 0;
  for (let a = 0; a < SY; a++) for (let b = 0; b < SX; b++) s += scanValue(j, i, a, b);
  return s;
};

let dir: string;
let server: ViewServer;
let browser: Browser;
let page: Page;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-view-udf-'));
  const data = new Float32Array(NY * NX * SY * SX);
  let k = 0;
  for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) for (let a = 0; a < SY; a++) for (let c = 0; c < SX; c++) data[k++] = scanValue(j, i, a, c);
  writeNpy(join(dir, 'scan.npy'), data, [NY, NX, SY, SX], 'float32');
  const run = spawnSync(process.execPath, ['bin/nunatak.js', 'udf', 'run', 'sumsig', '-d', join(dir, 'scan.npy'), '-e', 'inline', '--no-progress', '-o', join(dir, 'out')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  server = await startViewServer({ paths: [join(dir, 'out')], port: 0 });
  browser = await buildAndLaunch();
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const draws = () => page.evaluate(() => ((globalThis as any).__view?.draws as number | undefined) ?? 0);

/** Open `file`, hover every cell centre along a diagonal and check the readout against the scan's own sums. */
async function checkFile(file: string, valueName: RegExp): Promise<void> {
  const n = await draws();
  await page.click(`#files li:has-text("${file}")`);
  await page.waitForFunction((k) => (globalThis as any).__view.draws > k, n);
  const map = await page.evaluate(() => {
    const c = (globalThis as any).document.getElementById('map');
    return { w: c.width as number, h: c.height as number };
  });
  assert.deepEqual([map.w, map.h], [NX, NY], `${file}: map is nav-shaped`);
  const box = (await page.locator('#map').boundingBox())!;
  let checked = 0;
  for (let p = 0; p < Math.min(NX, NY); p++) {
    const [px, py] = [p + (p % 2), p];
    await page.mouse.move(box.x + ((px + 0.5) / NX) * box.width, box.y + ((py + 0.5) / NY) * box.height);
    const text = (await page.textContent('#readout'))!;
    const idx = /\[(\d+)\], \S+\[(\d+)\]/.exec(text);
    assert.ok(idx, `${file}: readout names the cell: ${text}`);
    const [j, i] = [Number(idx[1]), Number(idx[2])];
    const got = Number(valueName.exec(text)?.[1]);
    const want = expectedSum(j, i);
    assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want), `${file} cell [${j}, ${i}]: readout ${text} vs ${want}`);
    checked++;
  }
  assert.equal(checked, Math.min(NX, NY));
}

test('a UDF result (NetCDF) opens as a map and hover reads the scan sums', async () => {
  await checkFile('sumsig.nc', /intensity = (\S+)/);
});

test('the same result as .npy reads the same sums', async () => {
  await checkFile('sumsig_intensity.npy', /= (\S+)/);
});
