/**
 * Trains the `network` example: a small CNN that maps the anomalies of years
 * t−1 and t to the anomaly of year t+1, on the HadCM3 A1B run with targets up
 * to 2040, then exports it as an ONNX step model (graph: reshape → subtract
 * climatology → conv 3×3 (2→8) → ReLU → conv 1×1 (8→1) → add climatology)
 * with its normalisation files and metadata.json.
 *
 * The 3×3 convolution is trained in TF.js as a dense layer on 3×3×2 patches
 * (im2col with zero padding: the same function as a 'same' conv), because
 * dense-layer gradients are fast on every TF.js backend; the kernel [18, 8] is
 * the conv filter in HWIO order.
 *
 *   npx tsx examples/models/network/train.ts [outDir] [epochs]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, ready } from '../../../src/core/tensor/index.js';
import { OnnxGraphBuilder, hwioToOihw } from '../../../src/core/onnx/index.js';
import { writeNpy } from '../../../src/io/npy/index.js';
import { NetcdfSource } from '../../../src/models/netcdf-source.js';
import { climatologyFromYears } from '../../../src/models/score.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const DATA = resolve(HERE, '../../../data/models/A1B_north_america.nc');
const NY = 37, NX = 49, NPIX = NY * NX;

export interface TrainOptions {
  outDir: string;
  epochs: number;
  /** Last target year used for training (inclusive). */
  lastYear?: number;
  seed?: number;
}

export interface TrainResult {
  /** Mean squared error (normalised units) at the last epoch. */
  loss: number;
  center: number;
  scale: number;
  /** The trained TF.js model on 3×3×2 patches (normalised anomalies). */
  model: import('@tensorflow/tfjs-layers').LayersModel;
  /** Normalised climatology [Y·X]. */
  climN: Float32Array;
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  await ready();
  const last = o.lastYear ?? 2040;
  const src = await NetcdfSource.open(DATA, { lexicon: { t2m: 'air_temperature' } });
  const clim = (await climatologyFromYears(src, ['t2m'], 1860, last)).t2m;
  const years = src.times.filter((t) => t.getUTCFullYear() <= last);
  const fields = await Promise.all(years.map((t) => src.read(t, ['t2m'])));
  src.close();
  // normalisation: centre = area-unweighted mean of the climatology, scale = std of the anomalies
  const center = clim.reduce((a, b) => a + b, 0) / NPIX;
  let ss = 0;
  for (const f of fields) for (let p = 0; p < NPIX; p++) ss += (f[p] - clim[p]) ** 2;
  const scale = Math.sqrt(ss / (fields.length * NPIX));
  const anom = fields.map((f) => Float32Array.from(f, (v, p) => (v - clim[p]) / scale));
  const n = anom.length - 2;
  // im2col: one row per (sample, pixel) with the 3×3 neighbourhood of both years (HWI order)
  const rows = n * NPIX;
  const xs = new Float32Array(rows * 18);
  const ys = new Float32Array(rows);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        const r = (s * NPIX + j * NX + i) * 18;
        for (let kh = 0; kh < 3; kh++) {
          for (let kw = 0; kw < 3; kw++) {
            const jj = j + kh - 1, ii = i + kw - 1;
            const inside = jj >= 0 && jj < NY && ii >= 0 && ii < NX;
            for (let ci = 0; ci < 2; ci++) xs[r + (kh * 3 + kw) * 2 + ci] = inside ? anom[s + ci][jj * NX + ii] : 0; // ci 0 = year t−1, 1 = year t
          }
        }
        ys[s * NPIX + j * NX + i] = anom[s + 2][j * NX + i];
      }
    }
  }
  const seed = o.seed ?? 1;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [18], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
  const X = tf.tensor2d(xs, [rows, 18]);
  const Y = tf.tensor2d(ys, [rows, 1]);
  const h = await model.fit(X, Y, { epochs: o.epochs, batchSize: 4096, shuffle: false, verbose: 0 });
  X.dispose();
  Y.dispose();
  const loss = h.history.loss[h.history.loss.length - 1] as number;
  const climN = Float32Array.from(clim, (v) => (v - center) / scale);
  exportPackage(o.outDir, model, climN, center, scale, loss, n);
  return { loss, center, scale, model, climN };
}

/** ONNX graph: x [B, 2, 1, Y, X] normalised → y [B, 1, Y, X] normalised. */
export function exportPackage(dir: string, model: import('@tensorflow/tfjs-layers').LayersModel, climN: Float32Array, center: number, scale: number, loss: number, nSamples: number): void {
  mkdirSync(dir, { recursive: true });
  const [k1, b1] = model.layers[0].getWeights().map((w) => w.dataSync() as Float32Array);
  const [k2, b2] = model.layers[1].getWeights().map((w) => w.dataSync() as Float32Array);
  const g = new OnnxGraphBuilder('nunatak-a1b-anomaly-cnn');
  const x = g.input('x', ['batch', 2, 1, NY, NX]);
  const x4 = g.node('Reshape', [x, g.int64('shape4', [-1, 2, NY, NX])]);
  const clim = g.weight('climatology', climN, [1, 1, NY, NX]);
  const a = g.node('Sub', [x4, clim]);
  const h1 = g.relu(g.conv(a, g.weight('w1', hwioToOihw(k1, [3, 3, 2, 8]), [8, 2, 3, 3]), g.weight('b1', b1, [8]), { pads: [1, 1, 1, 1] }));
  const h2 = g.conv(h1, g.weight('w2', hwioToOihw(k2, [1, 1, 8, 1]), [1, 8, 1, 1]), g.weight('b2', b2, [1]));
  g.output(g.add(h2, clim), 'y', ['batch', 1, NY, NX]);
  writeFileSync(join(dir, 'network.onnx'), g.toBytes());
  writeNpy(join(dir, 'center.npy'), new Float32Array([center]), [1]);
  writeNpy(join(dir, 'scale.npy'), new Float32Array([scale]), [1]);
  const meta = {
    description: `CNN forecaster of next year's temperature anomaly (trained on A1B targets ≤ 2040, ${nSamples} samples, final MSE ${loss.toFixed(4)} normalised)`,
    onnx: 'network.onnx',
    grid: { lat: { start: 15, step: 1.25, n: NY }, lon: { start: 225, step: 1.875, n: NX } },
    in_channels: ['t2m'],
    out_channels: ['t2m'],
    n_history: 1,
    history_time_step: 'P1Y',
    time_step: 'P1Y',
    normalisation: { center: 'center.npy', scale: 'scale.npy' },
  };
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(meta, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? HERE);
  const epochs = Number(process.argv[3] ?? 40);
  const t0 = performance.now();
  const r = await train({ outDir: out, epochs });
  console.log(`trained ${epochs} epochs in ${((performance.now() - t0) / 1000).toFixed(1)} s: loss ${r.loss.toFixed(4)} (normalised), centre ${r.center.toFixed(3)} K, scale ${r.scale.toFixed(4)} K → ${out}`);
}
