/**
 * Live runs in a real headless Chromium (Debian's chromium via playwright-core):
 *  - a UDF run (sumsig, 6 partitions) watched from before it starts: after 3
 *    merges the map has exactly the merged frames drawn (the rest transparent)
 *    and the bar shows 50 %; at the end the bar reaches 100 %, the map's values
 *    equal the returned result (float32), its colours are viridis of those
 *    values and the hover readout reads the result;
 *  - `nunatak emulator train --view` (the emulator CLI test's toy dataset, made
 *    by make_dataset.py with python3 numpy + netCDF4): the learning curve has
 *    one point per epoch, equal to train-history.csv's losses; the TRUE | PRED |
 *    PRED − TRUE maps of the first validation patch after the last epoch equal
 *    the NetCDF truth (read by python netCDF4) and that patch predicted by the
 *    epoch's checkpoint through ONNX Runtime (training ran TF.js).
 * The test holds the run between partitions by consuming runUdfIter's partial
 * results at its own pace (no sleeps anywhere). Screenshots: view-live-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { colorAt, getColormap } from '../../src/io/index.ts';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.ts';
import { Context } from '../../src/udf/context.ts';
import type { UDFResults } from '../../src/udf/results.ts';
import { startViewServer } from '../../src/view/index.ts';
import { LiveHub } from '../../src/view/live/hub.ts';
import { publishUdfRun } from '../../src/view/live/udf.ts';
import { NAV, PARTS, frameSum, scan } from './live-helpers.ts';
import { checkSampleMaps } from './live-sample-check.ts';
import { buildAndLaunch, shotPath } from './browser-setup.ts';


let dir: string;
let browser: Browser;
let page: Page;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-live-browser-'));
  browser = await buildAndLaunch();
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

// page.evaluate callbacks run in the page: its globals are reached through `globalThis`
const live = () => page.evaluate(() => {
  const s = (globalThis as any).__live;
  return { status: s.status as string, progress: s.progress as number[], ids: s.ids as number[], curvePoints: s.curvePoints as number };
});
const mapPixels = () =>
  page.evaluate(() => {
    const c = (globalThis as any).document.getElementById('map');
    return { w: c.width as number, h: c.height as number, px: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray) };
  });
const opaque = (px: number[]) => px.filter((_, k) => k % 4 === 3 && px[k] === 255).length;

test('a live UDF run fills the map partition by partition and reaches 100 % with the result', async () => {
  const hub = new LiveHub();
  const server = await startViewServer({ paths: [dir], port: 0, live: hub });
  const ctx = await Context.make({ kind: 'inline' });
  try {
    await page.goto(`${server.url}live`);
    await page.waitForFunction(() => (globalThis as any).__live.status === 'waiting');
    const ds = scan();
    const n = NAV[0] * NAV[1];
    const pub = publishUdfRun(hub, ds, 'sumsig', 'udf sumsig on scan', n);
    let result: UDFResults | undefined;
    let merged = 0;
    for await (const partial of ctx.runUdfIter(ds, new SumSigUDF(), { numPartitions: PARTS, plots: (p, d, info) => pub.plots(p, d, info) })) {
      result = partial.buffers[0];
      if (++merged !== PARTS / 2) continue;
      // held here, half-way: the page shows exactly the merged frames
      const frames = partial.damage.reduce((a, x) => a + x, 0);
      await page.waitForFunction((k) => {
        const c = (globalThis as any).document.getElementById('map');
        if (!c.width) return false;
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let o = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] === 255) o++;
        return o === k;
      }, frames);
      assert.equal(frames, n / 2);
      assert.equal(await page.evaluate(() => (globalThis as any).document.getElementById('progress').value), 0.5);
      assert.match((await page.textContent('#progress-text'))!, /^50\.0 % +3 \/ 6 partitions, 384 \/ 768 frames/);
      await page.screenshot({ path: shotPath('view-live-udf-half.png') });
    }
    pub.finish(result!);
    await page.waitForFunction(() => (globalThis as any).__live.status === 'done' && (globalThis as any).__live.finalDraws > 0);
    const s = await live();
    assert.equal(s.progress.at(-1), 1);
    for (let k = 1; k < s.progress.length; k++) assert.ok(s.progress[k] >= s.progress[k - 1], `progress ${s.progress.join(', ')}`);
    assert.deepEqual(s.ids, Array.from({ length: PARTS + 2 }, (_, k) => k + 1), 'every event, in order');
    assert.equal(await page.evaluate(() => (globalThis as any).document.getElementById('progress').value), 1);
    assert.match((await page.textContent('#progress-text'))!, /^100 % +6 \/ 6 partitions, 768 \/ 768 frames/);
    assert.match((await page.textContent('#status'))!, /^done in /);

    const want = result!.get('intensity').data;
    const shown = await page.evaluate(() => Array.from((globalThis as any).__live.slab.data as Float32Array));
    assert.deepEqual(shown, Array.from(want, Math.fround), 'the map holds the returned result');
    const m = await mapPixels();
    assert.deepEqual([m.w, m.h], [NAV[1], NAV[0]]);
    assert.equal(opaque(m.px), n, 'every cell drawn');
    const [lo, hi] = [frameSum(0), frameSum(n - 1)];
    for (const k of [0, 300, n - 1]) {
      const [r, g, b] = colorAt(getColormap('viridis'), (Math.fround(want[k]) - lo) / (hi - lo));
      assert.deepEqual(m.px.slice(k * 4, k * 4 + 4), [r, g, b, 255], `cell ${k} colour`);
    }
    const box = (await page.locator('#map').boundingBox())!;
    const [j, i] = [9, 12];
    await page.mouse.move(box.x + ((i + 0.5) / NAV[1]) * box.width, box.y + ((j + 0.5) / NAV[0]) * box.height);
    const text = (await page.textContent('#readout'))!;
    assert.match(text, new RegExp(`^intensity = ${frameSum(j * NAV[1] + i)} .*scan_y\\[${j}\\], scan_x\\[${i}\\]`));
    await page.screenshot({ path: shotPath('view-live-udf.png') });
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('emulator train --view: the learning curve has one point per epoch, equal to train-history.csv', async () => {
  const EPOCHS = 3;
  execFileSync('/usr/bin/python3', ['test/emulator/make_dataset.py', dir, 'toy']);
  const yaml = join(dir, 'emu.yaml');
  writeFileSync(yaml, `data_dir: ${dir}\nresults_dir: ${join(dir, 'res')}\ndataset: toy\nnb_layers: 1\nnb_out_filter: 2\npatch_size: 8\nbatch_size: 8\nverbose: 0\nsave_model_each: 1\n`);
  const child = spawn(process.execPath, ['bin/nunatak.js', '--json', 'emulator', 'train', '--config', yaml, '--epochs', String(EPOCHS), '--predict', 'false', '--view', '--view-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => l.includes('"event":"view"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).__live.status === 'done', undefined, { timeout: 120_000 });
    const s = await live();
    assert.equal(s.curvePoints, EPOCHS);
    assert.equal(await page.isVisible('#curve .uplot canvas'), true);
    assert.equal(await page.textContent('#curve .u-legend .u-series:nth-child(2) .u-label'), 'train loss');
    const epochText = (await page.textContent('#epoch-text'))!;
    const run = join(dir, 'res', 'toy+MAPTY-f2+NETWO-cnn+CONVS-3+DEPTH-1+NBFIL-2+EPOCH-3+RSAMP-1.0+TESTI-0');
    const rows = readFileSync(join(run, 'train-history.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(' ').map(Number));
    assert.equal(rows.length, EPOCHS);
    const last = rows.at(-1)!;
    assert.match(epochText, new RegExp(`^epoch ${EPOCHS}: loss ${last[1].toPrecision(4)}, val_loss ${last[4].toPrecision(4)}`));
    const curve = await page.evaluate(() => (globalThis as any).__live.curve as { epochs: number[]; loss: number[]; valLoss: number[] });
    assert.deepEqual(curve.epochs, [1, 2, 3]);
    assert.deepEqual(curve.loss, rows.map((r) => r[1]));
    assert.deepEqual(curve.valLoss, rows.map((r) => r[4]));
    await checkSampleMaps(page, url, dir, run, EPOCHS);
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    await page.screenshot({ path: shotPath('view-live-emulator.png'), fullPage: true });
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', r)));
  assert.equal(code, 0, stderr);
});
