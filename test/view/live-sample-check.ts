/**
 * Checks of the live emulator page's validation-sample maps (used by
 * live-browser.test.ts): the maps drawn after the last epoch against an
 * independent recomputation — truth read from the dataset's ex.nc with python
 * netCDF4, the prediction of the same patch by that epoch's checkpoint run
 * through ONNX Runtime (training used TF.js) — and the hover readout.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { prepareCase } from '../../src/emulator/case-data.ts';
import { loadSplit } from '../../src/emulator/dataset.ts';
import { loadEmulator } from '../../src/emulator/store.ts';
import type { VarMeta } from '../../src/view/protocol.ts';

/** ONNX Runtime vs TF.js in float32, outputs scaled by their bound: |a − b| ≤ TOL·(1 + |b|). */
const TOL = 1e-5;
const close = (a: number, b: number) => Math.abs(a - b) <= TOL * (1 + Math.abs(b));

export async function checkSampleMaps(page: Page, liveUrl: string, dataDir: string, run: string, epochs: number): Promise<void> {
  await page.waitForFunction((n) => (globalThis as any).__live.maps?.epoch === n, epochs);
  const rec = await page.evaluate(() => (globalThis as any).__live.maps as { field: string; data: Record<'true' | 'pred' | 'diff', number[]> });
  const meta = (await (await fetch(new URL('/api/live/meta', liveUrl)).then((r) => r.json())) as { vars: VarMeta[] }).vars;
  assert.deepEqual(meta.map((v) => v.name), ['ubar_true', 'ubar_pred', 'ubar_diff', 'vbar_true', 'vbar_pred', 'vbar_diff']);
  assert.equal(rec.field, 'ubar', 'the first output field is shown first');
  const a = meta[0].attrs as Record<string, number | string>;
  assert.equal(a.epoch, epochs);
  const [p] = meta[0].shape;
  const [cs, t, j0, i0] = [String(a.case), Number(a.frame), Number(a.j0), Number(a.i0)];

  // truth: the NetCDF file itself
  const py = `import json,sys; from netCDF4 import Dataset; d=Dataset(sys.argv[1]); print(json.dumps(d['ubar'][${t}, ${j0}:${j0 + p}, ${i0}:${i0 + p}].astype(float).ravel().tolist()))`;
  const truth = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, join(dataDir, 'toy', 'test', cs, 'ex.nc')], { encoding: 'utf8' })) as number[];
  assert.equal(truth.length, p * p);
  truth.forEach((x, k) => assert.equal(rec.data.true[k], Math.fround(x), `TRUE[${k}]`));

  // prediction: the epoch's checkpoint through ONNX Runtime on the same patch
  const emu = await loadEmulator(join(run, `model.${String(epochs).padStart(5, '0')}`), { runtime: 'onnx' });
  assert.equal(emu.runtime, 'onnx');
  const needed = [...new Set([...emu.meta.inputs, ...emu.meta.outputs].map((ch) => ch.name).concat('thk'))];
  const c = (await loadSplit(join(dataDir, 'toy'), 'test', needed)).map((x) => prepareCase(x, needed, { dataStepping: 1, resample: 1 })).find((x) => x.name === cs)!;
  const inputs: Record<string, Float32Array> = {};
  for (const ch of emu.meta.inputs) {
    const f = c.fields.get(ch.name)!;
    inputs[ch.name] = new Float32Array(p * p).map((_, k) => f[t * c.ny * c.nx + (j0 + Math.floor(k / p)) * c.nx + i0 + (k % p)]);
  }
  const pred = (await emu.predict(inputs, p, p)).ubar;
  let worst = 0;
  pred.forEach((x, k) => {
    worst = Math.max(worst, Math.abs(rec.data.pred[k] - x));
    assert.ok(close(rec.data.pred[k], x), `PRED[${k}] ${rec.data.pred[k]} vs ONNX ${x}`);
    assert.equal(rec.data.diff[k], Math.fround(rec.data.pred[k] - rec.data.true[k]), `diff[${k}] = pred − true`);
  });
  console.log(`live sample maps: ${cs} frame ${t} patch (${j0}, ${i0}) ${p}×${p}; max |PRED(live) − PRED(ONNX checkpoint)| = ${worst.toExponential(2)} m a-1`);

  // the three maps are drawn: every cell opaque
  for (const k of ['true', 'pred', 'diff']) {
    const opaque = await page.evaluate((sel) => {
      const c = (globalThis as any).document.querySelector(sel);
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
      return px.filter((_, n) => n % 4 === 3 && px[n] === 255).length;
    }, `[data-panel="sample-${k}"] canvas`);
    assert.equal(opaque, p * p, `${k} map drawn`);
  }

  // hover: cell (row 3, column 5) of the difference map reads its value
  const canvas = page.locator('[data-panel="sample-diff"] canvas').first();
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const [j, i] = [3, 5];
  await canvas.hover({ position: { x: ((i + 0.5) * box.width) / p, y: ((j + 0.5) * box.height) / p } });
  const text = (await page.textContent('[data-panel="sample-diff"] .readout'))!;
  const m = /^ubar_diff = (\S+) m a-1\s+y\[(\d+)\], x\[(\d+)\]/.exec(text);
  assert.ok(m, text);
  assert.deepEqual([Number(m[2]), Number(m[3])], [j, i]);
  const want = pred[j * p + i] - Math.fround(truth[j * p + i]);
  assert.ok(Math.abs(Number(m[1]) - want) <= TOL * (1 + Math.abs(want)), `hover ${m[1]} vs ${want}`);
}
