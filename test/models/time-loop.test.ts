/** Inference wrapper and time-loop contract: lead 0, normalisation, history order, restart exactness, NaN stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPackage } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { isNunatakError } from '../../src/core/errors.js';
import type { LoopItem, RestartToken } from '../../src/models/time-loop.js';
import { COEF } from './fixtures/history-step.js';
import { npyBytes, tempDir, writePackage } from './helpers.js';

const STEP = join(import.meta.dirname, 'fixtures', 'history-step.ts');
const B = 2, T = 2, C = 2, Y = 3, X = 4;
const NPIX = Y * X;
const CENTER = [280, 5500];
const SCALE = [10, 300];

function pkg(entry = 'load') {
  const dir = writePackage(tempDir(), 'hist', {
    architecture_entrypoint: `${STEP}#${entry}`,
    grid: { lat: [50, 45, 40], lon: [0, 5, 10, 15] },
    in_channels: ['t2m', 'z500'],
    out_channels: ['z500', 't2m'], // reordered on purpose
    n_history: 1,
    history_time_step: 'PT6H',
    time_step: 'PT6H',
    normalisation: { center: 'c.npy', scale: 's.npy' },
  }, { 'c.npy': npyBytes(new Float32Array(CENTER), [2]), 's.npy': npyBytes(new Float32Array(SCALE), [2]) });
  return readPackage(dir);
}

function input(): Float32Array {
  const x = new Float32Array(B * T * C * NPIX);
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / NPIX) % C;
    x[i] = CENTER[c] + SCALE[c] * Math.sin(0.37 * i + 0.1);
  }
  return x;
}

/** Independent float64 reference of the same rollout, out channels in [z500, t2m] order. */
function reference(x: Float32Array, steps: number): number[][] {
  const norm = Array.from(x, (v, i) => (v - CENTER[Math.floor(i / NPIX) % C]) / SCALE[Math.floor(i / NPIX) % C]);
  const lvl = (b: number, t: number, c: number, p: number) => ((b * T + t) * C + c) * NPIX + p;
  let w = norm;
  const out: number[][] = [];
  const emit = (get: (b: number, c: number, p: number) => number) => {
    const y: number[] = [];
    for (let b = 0; b < B; b++) for (const c of [1, 0]) for (let p = 0; p < NPIX; p++) y.push(get(b, c, p) * SCALE[c] + CENTER[c]);
    out.push(y);
  };
  emit((b, c, p) => w[lvl(b, T - 1, c, p)]);
  for (let k = 1; k <= steps; k++) {
    const next = new Array<number>(w.length);
    for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) for (let p = 0; p < NPIX; p++) {
      const last = w[lvl(b, 1, c, p)];
      next[lvl(b, 0, c, p)] = last;
      next[lvl(b, 1, c, p)] = COEF.a * last + COEF.b * w[lvl(b, 0, c, p)] + COEF.c * Math.sin(last);
    }
    w = next;
    emit((b, c, p) => w[lvl(b, T - 1, c, p)]);
  }
  return out;
}

async function take(it: AsyncIterable<LoopItem>, n: number): Promise<LoopItem[]> {
  const items: LoopItem[] = [];
  for await (const item of it) {
    items.push(item);
    if (items.length === n) break;
  }
  return items;
}

test('lead 0 is the de-normalised initial state; steps match an independent float64 rollout', async () => {
  const loop = await loadTimeLoop(pkg());
  const x = input();
  const t0 = new Date('2020-01-01T00:00:00Z');
  const items = await take(loop.loop(t0, { data: x, shape: [B, T, C, Y, X] }), 6);
  const ref = reference(x, 5);
  assert.deepEqual(items.map((i) => i.step), [0, 1, 2, 3, 4, 5]);
  assert.equal(items[2].time.toISOString(), '2020-01-01T12:00:00.000Z');
  assert.deepEqual(items[0].y.shape, [B, 2, Y, X]);
  // lead 0: exactly x[:, -1] reordered (the normalise/de-normalise round trip in float32: rel 1e-6)
  items.forEach((it, k) => it.y.data.forEach((v, i) => assert.ok(Math.abs(v - ref[k][i]) <= 1e-5 * Math.abs(ref[k][i]) + 1e-4, `step ${k} i ${i}: ${v} vs ${ref[k][i]}`)));
  // the reference really used the oldest level (b = 0.15 term): a no-history rollout differs
  assert.ok(Math.abs(ref[2][0] - ref[1][0]) > 1e-3);
});

test('restart token of step k (through JSON) reproduces steps k+1… bit for bit', async () => {
  const loop = await loadTimeLoop(pkg());
  const x = { data: input(), shape: [B, T, C, Y, X] };
  const full = await take(loop.loop(new Date('2020-01-01T00:00:00Z'), x), 8);
  for (const k of [0, 3]) {
    const token = JSON.parse(JSON.stringify(full[k].restart)) as RestartToken;
    const resumed = await take(loop.loop(null, null, token), 8 - k - 1);
    resumed.forEach((it, j) => {
      assert.equal(it.step, k + 1 + j);
      assert.equal(it.time.getTime(), full[k + 1 + j].time.getTime());
      assert.deepEqual(it.y.data, full[k + 1 + j].y.data);
    });
  }
});

test('bad input: wrong x shape, foreign restart token, NaN output names step and channel', async () => {
  const loop = await loadTimeLoop(pkg());
  await assert.rejects(take(loop.loop(new Date(0), { data: new Float32Array(B * C * NPIX), shape: [B, 1, C, Y, X] }), 1), (e: unknown) => isNunatakError(e, 'SHAPE') && /expected \[\*, 2, 2, 3, 4\]/.test(e.message));
  await assert.rejects(take(loop.loop(null, null, { kind: 'other', step: 1, time: '' }), 1), /not an inference token/);
  const bad = await loadTimeLoop(pkg('nanAtStep2'));
  await assert.rejects(take(bad.loop(new Date('2020-01-01T00:00:00Z'), { data: input(), shape: [B, T, C, Y, X] }), 5), (e: unknown) => isNunatakError(e, 'NUMERIC') && /step 2 \(2020-01-01T12:00:00.000Z\).*NaN in channel 't2m'/.test(e.message));
});

test('missing entrypoint file or export is a PLUGIN/NOT_FOUND error naming it', async () => {
  const root = tempDir();
  const meta = { grid: { lat: [1], lon: [1] }, in_channels: ['a'], out_channels: ['a'], time_step: 'PT1H' };
  const p1 = readPackage(writePackage(root, 'nofile', { ...meta, architecture_entrypoint: './nope.ts#load' }));
  await assert.rejects(loadTimeLoop(p1), /nope\.ts.*not found/);
  const p2 = readPackage(writePackage(root, 'noexport', { ...meta, architecture_entrypoint: `${STEP}#lood` }));
  await assert.rejects(loadTimeLoop(p2), (e: unknown) => isNunatakError(e, 'PLUGIN') && /export 'lood' not found.*did you mean 'load'/.test(e.message));
});

test('the step model receives the valid time of the newest input level', async () => {
  const plain = await loadTimeLoop(pkg());
  const timed = await loadTimeLoop(pkg('timeAware'));
  const x = { data: input(), shape: [B, T, C, Y, X] };
  const t0 = new Date('2020-01-01T06:00:00Z');
  const a = await take(plain.loop(t0, x), 2);
  const b = await take(timed.loop(t0, x), 2);
  // +0.06 normalised at step 1 (time0 hour 6) → +0.06·scale in physical units, out order [z500, t2m]
  assert.ok(Math.abs(b[1].y.data[0] - a[1].y.data[0] - 0.06 * SCALE[1]) < 1e-2);
  assert.ok(Math.abs(b[1].y.data[NPIX] - a[1].y.data[NPIX] - 0.06 * SCALE[0]) < 1e-3);
});
