// The whole-step ONNX Runtime trainer (src/emulator/cnn-native-trainer.ts)
// against TF.js autodiff, the independent reference: gradients of MAE and of
// MSE + L2 equal TF.js's to 1e-5 of their largest entry in the NCHWc and the
// plain NCHW layouts; clipnorm + Adam moments and parameters equal the
// formulas applied to TF.js's gradients; fit() gives the same loss curve
// with either trainer; models outside a plain conv stack are refused with a
// reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hwioToOihw } from '../../src/core/onnx/graph-builder.js';
import { ready, tf } from '../../src/core/tensor/index.js';
import { BatchCycler } from '../../src/emulator/batches.js';
import { CnnNativeTrainer } from '../../src/emulator/cnn-native-trainer.js';
import { cnnPlan, type ConvStep } from '../../src/emulator/cnn-plan.js';
import { fit } from '../../src/emulator/fit.js';
import { nchwcBlockSize } from '../../src/emulator/nchwc.js';
import { buildNetwork, type NetworkSpec } from '../../src/emulator/networks.js';
import { samplePatches } from '../../src/emulator/patches.js';
import { Rng } from '../../src/emulator/rng.js';

const B = 4;
const P = 12;
const spec = (filters: number, activation: 'lrelu' | 'relu' = 'lrelu'): NetworkSpec => ({
  network: 'cnn', nIn: 3, nOut: 2, layers: 3, blocks: 4, filters, kernel: 3, activation, dropout: 0, l2: 0, seed: 5,
});

function data(seed: number): { x: Float32Array; y: Float32Array } {
  const r = new Rng(seed);
  return { x: Float32Array.from({ length: B * P * P * 3 }, () => r.next() * 2 - 1), y: Float32Array.from({ length: B * P * P * 2 }, () => r.next() * 2 - 1) };
}

/** TF.js loss gradients per layer, in ONNX layout: [dW, db] per conv step. */
function tfjsGrads(model: tf.LayersModel, steps: ConvStep[], x: Float32Array, y: Float32Array, loss: 'mae' | 'mse', l2: number): Float32Array[][] {
  return tf.tidy(() => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernels = model.trainableWeights.filter((w) => w.name.includes('kernel')).map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => {
      const d = tf.sub(model.apply(tf.tensor4d(x, [B, P, P, 3])) as tf.Tensor, tf.tensor4d(y, [B, P, P, 2]));
      let L = loss === 'mae' ? tf.mean(tf.abs(d)) : tf.mean(tf.square(d));
      for (const k of kernels) L = tf.add(L, tf.mul(l2, tf.sum(tf.square(k))));
      return L as tf.Scalar;
    }, vars);
    return steps.map((s) => {
      const [kw, kb] = model.getLayer(s.name).trainableWeights.map((w) => grads[w.originalName ?? w.name] ?? grads[w.name]);
      return [hwioToOihw(kw.dataSync() as Float32Array, [s.kernel, s.kernel, s.inChannels, s.outChannels]), Float32Array.from(kb.dataSync())];
    });
  });
}

const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('plan: DLE CNN maps to conv steps (shared LeakyReLU after every hidden conv, linear head); U-Net and dropout are refused', async () => {
  await ready('cpu');
  const plan = cnnPlan(buildNetwork(spec(8)));
  assert.ok(plan.ok);
  assert.deepEqual(plan.steps.map((s) => [s.inChannels, s.outChannels, s.kernel, s.activation, s.alpha]), [
    [3, 8, 3, 'lrelu', 0.01], [8, 8, 3, 'lrelu', 0.01], [8, 8, 3, 'lrelu', 0.01], [8, 2, 1, 'linear', 0],
  ]);
  const unet = cnnPlan(buildNetwork({ ...spec(8), network: 'unet', blocks: 2 }));
  assert.equal(unet.ok, false);
  assert.match((unet as { reason: string }).reason, /MaxPooling2D|Concatenate|inputs/);
  const drop = cnnPlan(buildNetwork({ ...spec(8), dropout: 0.1 }));
  assert.equal(drop.ok, false);
  assert.match((drop as { reason: string }).reason, /dropout .* rate 0.1/);
});

for (const layout of ['auto', 'nchw'] as const) {
  for (const [loss, l2, act] of [['mae', 0, 'lrelu'], ['mse', 1e-3, 'relu']] as const) {
    test(`gradients equal TF.js autodiff: ${layout} layout, ${loss}${l2 ? ' + L2' : ''}, ${act} (tolerance 1e-5 of the largest entry)`, async () => {
      await ready('cpu');
      const model = buildNetwork(spec(16, act));
      model.setWeights(model.getWeights().map((w, k) => (w.rank === 1 ? tf.randomUniform(w.shape, -0.1, 0.1, 'float32', k) : w)));
      const plan = cnnPlan(model);
      assert.ok(plan.ok);
      const { x, y } = data(7);
      // Adam's first step leaves m = (1 − β1)·g: the gradient, read back without clipping.
      const tr = new CnnNativeTrainer(model, plan.steps, { batch: B, patch: P, loss, clipnorm: 0, l2, learningRate: 1e-3, layout, threads: 1 });
      if (layout === 'auto' && nchwcBlockSize() > 0) assert.match(tr.layout, /^nchwc/);
      const ref = tfjsGrads(model, plan.steps, x, y, loss, l2);
      tr.step(x, y);
      plan.steps.forEach((_, l) => {
        for (const [k, name] of [[0, `mw${l}`], [1, `mb${l}`]] as const) {
          const g = tr.tensor(name).map((m) => m / 0.1);
          const scale = maxAbs(ref[l][k]);
          assert.ok(scale > 0);
          assert.ok(maxDiff(g, ref[l][k]) <= 1e-5 * scale, `${name}: max |native − TF.js| ${maxDiff(g, ref[l][k])} vs scale ${scale}`);
        }
      });
      tr.dispose();
    });
  }
}

test('clipnorm + Adam: moments and parameters equal the Keras/TF.js formulas applied to TF.js gradients', async () => {
  await ready('cpu');
  const model = buildNetwork(spec(16));
  const plan = cnnPlan(model);
  assert.ok(plan.ok);
  const { x, y } = data(9);
  const lr = 1e-3;
  const clip = 0.05;
  const w0 = plan.steps.map((s) => hwioToOihw(model.getLayer(s.name).getWeights()[0].dataSync() as Float32Array, [s.kernel, s.kernel, s.inChannels, s.outChannels]));
  const ref = tfjsGrads(model, plan.steps, x, y, 'mae', 0);
  const tr = new CnnNativeTrainer(model, plan.steps, { batch: B, patch: P, loss: 'mae', clipnorm: clip, l2: 0, learningRate: lr, threads: 1 });
  tr.step(x, y);
  let clipped = 0;
  plan.steps.forEach((_, l) => {
    const g = ref[l][0];
    const norm = Math.hypot(...g);
    if (norm > clip) clipped++;
    const gc = g.map((v) => (v * clip) / Math.max(norm, clip));
    const m = gc.map((v) => 0.1 * v);
    const v2 = gc.map((v) => 0.001 * v * v);
    const scale = maxAbs(gc);
    assert.ok(maxDiff(tr.tensor(`mw${l}`), m) <= 1e-5 * 0.1 * scale, `mw${l}`);
    assert.ok(maxDiff(tr.tensor(`vw${l}`), v2) <= 2e-5 * 0.001 * scale * scale, `vw${l}`);
    // θ1 = θ0 − lr·(m/0.1)/(√(v/0.001) + ε); entries with |g| ≪ max are sign-sensitive (Δθ ≈ ±lr), so compare where |g| > 1e-3·max.
    const w1 = tr.tensor(`w${l}`);
    w0[l].forEach((w, i) => {
      if (Math.abs(gc[i]) < 1e-3 * scale) return;
      const expect = w - (lr * (m[i] / 0.1)) / (Math.sqrt(v2[i] / 0.001) + 1e-7);
      assert.ok(Math.abs(w1[i] - expect) <= 1e-3 * lr, `w${l}[${i}] ${w1[i]} vs ${expect}`);
    });
  });
  assert.ok(clipped >= 1, 'at least one tensor was clipped');
  tr.dispose();
});

test('fit(): the ONNX Runtime trainer and TF.js give the same loss curve; syncToModel hands the weights back', async () => {
  await ready('cpu');
  const r = new Rng(3);
  const n = 2 * 16 * 16;
  const a = Float32Array.from({ length: n }, () => r.next() * 2 - 1);
  const u = a.map((v, k) => 2 * v - (k % 16 > 0 ? a[k - 1] : 0));
  const c = { name: 'c', source: 'memory', nt: 2, ny: 16, nx: 16, dx: 1, dy: 1, fields: new Map([['a', a], ['b', a.map((v) => v * v)], ['z', a.map(() => 0.5)], ['u', u], ['w', a.map((v) => -v)]]) };
  const s = { cases: [c], refs: samplePatches([c], 8, 1, null), patch: 8, inputs: ['a', 'b', 'z'].map((name) => ({ name, bound: 1 })), outputs: ['u', 'w'].map((name) => ({ name, bound: 2 })) };
  const o = { epochs: 4, batch: 4, stepsPerEpoch: 3, valSteps: 1, learningRate: 5e-3, clipnorm: 0.5, l2: 0, loss: 'mae' as const, patience: 100, showProgress: false };
  const runs: { res: Awaited<ReturnType<typeof fit>>; w: Float32Array[] }[] = [];
  for (const trainer of ['auto', 'tfjs'] as const) {
    const model = buildNetwork(spec(16));
    const res = await fit(model, new BatchCycler(s, false, 1), new BatchCycler(s, false, 2), { ...o, trainer });
    runs.push({ res, w: model.getWeights().map((t) => Float32Array.from(t.dataSync())) });
  }
  assert.match(runs[0].res.trainer, /^onnxruntime-nchw/);
  assert.equal(runs[1].res.trainer, 'tfjs');
  const [h0, h1] = [runs[0].res.history, runs[1].res.history];
  assert.ok(h0.at(-1)!.loss < 0.8 * h0[0].loss, `native loss ${h0[0].loss} → ${h0.at(-1)!.loss}`);
  h0.forEach((row, i) => {
    assert.ok(Math.abs(row.loss - h1[i].loss) <= 2e-3 * h1[i].loss, `epoch ${i + 1} loss ${row.loss} vs ${h1[i].loss}`);
    assert.ok(Math.abs(row.val_mae - h1[i].val_mae) <= 2e-3 * h1[i].val_mae, `epoch ${i + 1} val_mae ${row.val_mae} vs ${h1[i].val_mae}`);
  });
  // The validation pass read the TF.js model, so its agreement shows the weights went back; check them directly too.
  runs[0].w.forEach((w, k) => assert.ok(maxDiff(w, runs[1].w[k]) < 0.05, `weights ${k} differ by ${maxDiff(w, runs[1].w[k])}`));
});
