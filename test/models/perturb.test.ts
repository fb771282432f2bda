/** Perturbations: control member, amplitudes, seeds, red noise vs NumPy, bred vectors that really step the model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readPackage } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { bredVector, perturbedBatch, unitNoise, type PerturbationConfig } from '../../src/models/perturb/index.js';
import { redNoiseFromWhite } from '../../src/models/perturb/red-noise.js';
import { COEF } from './fixtures/history-step.js';
import { tempDir, writePackage } from './helpers.js';

const STEP = join(import.meta.dirname, 'fixtures', 'history-step.ts');
const Y = 4, X = 6, C = 2, NPIX = Y * X;

async function loop() {
  const dir = writePackage(tempDir(), 'p', {
    architecture_entrypoint: `${STEP}#load`,
    grid: { lat: { start: 40, step: 5, n: Y }, lon: { start: 0, step: 5, n: X } },
    in_channels: ['a', 'b'],
    out_channels: ['a', 'b'],
    time_step: 'PT6H',
  });
  return loadTimeLoop(readPackage(dir));
}

function state(): Float32Array {
  return Float32Array.from({ length: C * NPIX }, (_, i) => Math.sin(0.3 * i) + (i >= NPIX ? 2 : 0));
}

const rms = (a: ArrayLike<number>, o: number, n: number) => Math.sqrt(Array.from({ length: n }, (_, i) => a[o + i] ** 2).reduce((s, v) => s + v, 0) / n);

test('member 0 is the control; amplitudes per channel; member noise independent of batch layout', async () => {
  const l = await loop();
  const x = { data: state(), shape: [1, 1, C, Y, X] };
  const cfg: PerturbationConfig = { method: 'gaussian', amplitude: { a: 0.5, b: 2 }, seed: 7 };
  const all = await perturbedBatch(l, new Date(0), x, cfg, [0, 1, 2]);
  const one = await perturbedBatch(l, new Date(0), x, cfg, [2]);
  const n = C * NPIX;
  assert.deepEqual(all.data.subarray(0, n), x.data);
  assert.deepEqual(all.data.subarray(2 * n, 3 * n), one.data);
  const d = Float64Array.from(all.data.subarray(n, 2 * n), (v, i) => v - x.data[i]);
  // sample RMS of 24 N(0, σ²) values is within ±45 % of σ with overwhelming probability
  assert.ok(Math.abs(rms(d, 0, NPIX) / 0.5 - 1) < 0.45);
  assert.ok(Math.abs(rms(d, NPIX, NPIX) / 2 - 1) < 0.45);
  await assert.rejects(perturbedBatch(l, new Date(0), x, { ...cfg, amplitude: { c: 1 } }, [1]), /'c' is not a model in_channel/);
  const other = await perturbedBatch(l, new Date(0), x, { ...cfg, seed: 8 }, [1]);
  assert.notDeepEqual(other.data, all.data.subarray(n, 2 * n));
});

test('correlated noise equals earth2mip\'s brown_noise recipe in NumPy (rel 1e-9) and is smoother than white noise', () => {
  const ny = 6, nx = 9;
  const white = unitNoise('gaussian', 3, 1, 1, ny, nx);
  const red = redNoiseFromWhite(white, ny, nx, 2);
  const py = `
import json, sys, numpy as np
w = np.array(json.load(sys.stdin)).reshape(${ny}, ${nx})
fy = np.fft.fftfreq(${ny})[:, None]; fx = np.fft.fftfreq(${nx})[None, :]
# earth2mip brown_noise: amplitudes times S (power ~ S^2), S normalised by its RMS
d = np.abs(fy) ** 2 + np.abs(fx) ** 2
S = np.where(d == 0, 0, 1 / np.where(d == 0, 1, d))
S = S / np.sqrt(np.mean(S ** 2))
z = np.fft.ifft2(np.fft.fft2(w) * S).real
print(json.dumps((z / np.sqrt(np.mean(z ** 2))).ravel().tolist()))`;
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(Array.from(white)), encoding: 'utf8' })) as number[];
  ref.forEach((v, i) => assert.ok(Math.abs(red[i] - v) < 1e-9 * Math.max(1, Math.abs(v)), `${i}: ${red[i]} vs ${v}`));
  // smoothness on a 32×32 grid: lag-1 autocorrelation of unit-RMS fields
  const n = 32;
  const w2 = unitNoise('gaussian', 4, 1, 1, n, n);
  const r2 = redNoiseFromWhite(w2, n, n, 2);
  const lag1 = (a: ArrayLike<number>) => {
    let s = 0;
    for (let j = 0; j < n; j++) for (let i = 0; i + 1 < n; i++) s += a[j * n + i] * a[j * n + i + 1];
    return s / (n * (n - 1));
  };
  assert.ok(lag1(r2) > 0.6 && Math.abs(lag1(w2)) < 0.15, `lag-1 autocorrelation red ${lag1(r2)}, white ${lag1(w2)}`);
});

test('correlated noise power spectrum goes as S² (slope fitted over 48 draws within ±0.1)', async () => {
  // Mean periodogram of 48 unit-RMS draws, then a least-squares fit of
  // log P against log S over the non-zero frequencies: earth2mip's recipe gives 2.
  const { dft2 } = await import('../../src/models/perturb/red-noise.js');
  const n = 24;
  const power = new Float64Array(n * n);
  for (let draw = 0; draw < 48; draw++) {
    const re = unitNoise('correlated', 11, draw + 1, 1, n, n, 2);
    const im = new Float64Array(n * n);
    dft2(re, im, n, n, -1);
    for (let p = 0; p < n * n; p++) power[p] += re[p] ** 2 + im[p] ** 2;
  }
  const f = (k: number) => (k < n / 2 ? k : k - n) / n;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const d = Math.abs(f(i)) ** 2 + Math.abs(f(j)) ** 2;
      if (d === 0) continue;
      xs.push(Math.log(1 / d));
      ys.push(Math.log(power[j * n + i]));
    }
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < xs.length; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
  }
  const slope = sxy / sxx;
  assert.ok(Math.abs(slope - 2) < 0.1, `log-log slope of power vs S is ${slope}, expected 2`);
});

test('each start time gets its own noise draw; the same start time reproduces it', async () => {
  const l = await loop();
  const x = { data: state(), shape: [1, 1, C, Y, X] };
  for (const method of ['gaussian', 'correlated'] as const) {
    const cfg: PerturbationConfig = { method, amplitude: 1, seed: 3 };
    const t1 = new Date('2018-01-01T00:00:00Z');
    const t2 = new Date('2018-01-01T12:00:00Z');
    const a = await perturbedBatch(l, t1, x, cfg, [1]);
    const b = await perturbedBatch(l, t2, x, cfg, [1]);
    const again = await perturbedBatch(l, t1, x, cfg, [1]);
    assert.deepEqual(again.data, a.data);
    const diff = Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i])));
    assert.ok(diff > 0.1, `${method}: member 1 has the same noise at two start times (max diff ${diff})`);
  }
});

test('bred vector: one cycle equals the rescaled difference of two real model steps, not the seed noise', async () => {
  const l = await loop();
  const x0 = state();
  const amp = 0.3;
  const cfg: PerturbationConfig = { method: 'bred_vector', amplitude: amp, seed: 5, breeding_cycles: 1 };
  const p = await bredVector(l, new Date(0), { data: x0, shape: [1, 1, C, Y, X] }, cfg, 1);
  // independent: p0 = amp·noise; M(x) = (a+b)x + c·sin x for one history level (no normalisation)
  const p0 = unitNoise('gaussian', 5, 1, C, Y, X).map((v) => v * amp);
  const M = (v: number) => (COEF.a + COEF.b) * v + COEF.c * Math.sin(v);
  const xf = Float32Array.from(x0);
  const d = Float64Array.from(x0, (v, i) => M(Math.fround(xf[i] + p0[i])) - M(v));
  for (let c = 0; c < C; c++) {
    const r = rms(d, c * NPIX, NPIX);
    for (let i = 0; i < NPIX; i++) {
      const k = c * NPIX + i;
      assert.ok(Math.abs(p[k] - (d[k] * amp) / r) < 1e-5, `${k}: ${p[k]} vs ${(d[k] * amp) / r}`);
    }
    assert.ok(Math.abs(rms(p, c * NPIX, NPIX) - amp) < 1e-9);
  }
  // the model really stepped: the bred vector is not the (rescaled) seed noise
  const maxDiff = Math.max(...Array.from(p, (v, i) => Math.abs(v - p0[i])));
  assert.ok(maxDiff > 1e-3, `bred vector equals the seed noise (max diff ${maxDiff})`);
  // the perturbed member differs from the control after one step
  const batch = await perturbedBatch(l, new Date(0), { data: x0, shape: [1, 1, C, Y, X] }, cfg, [0, 1]);
  for await (const it of l.loop(new Date(0), batch)) {
    if (it.step < 1) continue;
    const n = C * NPIX;
    assert.ok(Math.max(...Array.from(it.y.data.subarray(0, n), (v, i) => Math.abs(v - it.y.data[n + i]))) > 0.05);
    break;
  }
});
