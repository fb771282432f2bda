/**
 * The training loop: Adam with Keras-style clipnorm (each gradient tensor
 * clipped to norm ≤ clipnorm), MAE or MSE loss plus L2 on conv kernels,
 * TerminateOnNaN, early stopping on the training loss with restore-best, and
 * periodic checkpoints. Mirrors DLE's Keras `fit` callbacks.
 */
import { log } from '../core/log.js';
import { nativeAvailable } from '../core/native/sync-session.js';
import { progress } from '../core/progress.js';
import { tf } from '../core/tensor/index.js';
import type { BatchCycler } from './batches.js';
import { CnnNativeTrainer } from './cnn-native-trainer.js';
import { cnnPlan } from './cnn-plan.js';

export interface FitOptions {
  epochs: number;
  batch: number;
  stepsPerEpoch: number;
  valSteps: number;
  learningRate: number;
  clipnorm: number;
  l2: number;
  loss: 'mae' | 'mse';
  patience: number;
  /** Checkpoint period (epochs) and callback. */
  saveEach?: number;
  onCheckpoint?: (epoch: number, model: tf.LayersModel) => Promise<void> | void;
  showProgress?: boolean;
  /** Called (and awaited, before the next epoch changes the weights) with each epoch's history row as soon as it is complete (live learning curves and maps). */
  onEpoch?: (row: HistoryRow) => void | Promise<void>;
  /**
   * 'auto' (default): a plain conv stack (DLE's CNN) trains with one ONNX
   * Runtime call per step (`CnnNativeTrainer`) when the native runtime loads
   * and `NUNATAK_NATIVE_TRAIN` is not '0'; anything else trains with TF.js
   * autodiff. 'tfjs' forces the TF.js path.
   */
  trainer?: 'auto' | 'tfjs';
}

/** One row of train-history.csv (DLE columns). */
export interface HistoryRow {
  epoch: number;
  loss: number;
  mae: number;
  mse: number;
  val_loss: number;
  val_mae: number;
  val_mse: number;
  seconds: number;
}

export interface FitResult {
  history: HistoryRow[];
  stoppedOn: 'epochs' | 'nan' | 'early-stopping';
  bestEpoch: number;
  /** Which trainer ran the steps: 'tfjs' or 'onnxruntime-<layout>' (e.g. 'onnxruntime-nchwc16'). */
  trainer: string;
}

/** Keras clipnorm: scale each gradient tensor whose L2 norm exceeds c. */
export function clipByNorm(g: tf.Tensor, c: number): tf.Tensor {
  return tf.tidy(() => {
    const n = tf.norm(g);
    const scale = tf.div(c, tf.maximum(n, c));
    return tf.mul(g, scale);
  });
}

/** The whole-step ONNX Runtime trainer for this model, or null (with the reason logged) when TF.js must train it. */
function nativeTrainer(model: tf.LayersModel, train: BatchCycler, o: FitOptions): CnnNativeTrainer | null {
  if ((o.trainer ?? 'auto') === 'tfjs' || process.env.NUNATAK_NATIVE_TRAIN === '0' || !nativeAvailable()) return null;
  const plan = cnnPlan(model);
  if (!plan.ok) {
    log.info(`emulator: training with TF.js autodiff (whole-step ONNX Runtime training needs a plain conv stack: ${plan.reason})`);
    return null;
  }
  const t = new CnnNativeTrainer(model, plan.steps, { batch: o.batch, patch: train.src.patch, loss: o.loss, clipnorm: o.clipnorm, l2: o.l2, learningRate: o.learningRate });
  log.info(`emulator: training with ONNX Runtime, one call per step (${t.layout} layout, ${t.threads} thread(s))`);
  return t;
}

export async function fit(model: tf.LayersModel, train: BatchCycler, val: BatchCycler | null, o: FitOptions): Promise<FitResult> {
  const native = nativeTrainer(model, train, o);
  const optimizer = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-7);
  const kernels = model.trainableWeights.filter((w) => w.name.includes('kernel')).map((w) => w.read() as tf.Variable);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const p = train.src.patch;
  const nin = train.src.inputs.length;
  const nout = train.src.outputs.length;
  const history: HistoryRow[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let stoppedOn: FitResult['stoppedOn'] = 'epochs';
  const bar = o.showProgress === false ? null : progress('train', o.epochs, { unit: 'epoch', fields: ['loss', 'val_loss'] });

  const errs = (pred: tf.Tensor, y: tf.Tensor) => {
    const d = tf.sub(pred, y);
    return { mae: tf.mean(tf.abs(d)), mse: tf.mean(tf.square(d)) };
  };

  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const t0 = performance.now();
      let sLoss = 0;
      let sMae = 0;
      let sMse = 0;
      let nan = false;
      for (let s = 0; s < o.stepsPerEpoch; s++) {
        const b = train.next(o.batch);
        const vals = native ? native.step(b.x, b.y) : tf.tidy(() => {
          const x = tf.tensor4d(b.x, [o.batch, p, p, nin]);
          const y = tf.tensor4d(b.y, [o.batch, p, p, nout]);
          let m: { mae: tf.Scalar; mse: tf.Scalar } | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const pred = model.apply(x, { training: true }) as tf.Tensor;
            const e = errs(pred, y);
            m = { mae: tf.keep(e.mae) as tf.Scalar, mse: tf.keep(e.mse) as tf.Scalar };
            let loss = o.loss === 'mae' ? e.mae : e.mse;
            if (o.l2 > 0) for (const k of kernels) loss = tf.add(loss, tf.mul(o.l2, tf.sum(tf.square(k))));
            return loss as tf.Scalar;
          }, vars);
          const clipped: tf.NamedTensorMap = {};
          for (const [k, g] of Object.entries(grads)) clipped[k] = o.clipnorm > 0 ? clipByNorm(g, o.clipnorm) : g;
          optimizer.applyGradients(clipped as Parameters<typeof optimizer.applyGradients>[0]);
          const mm = m as unknown as { mae: tf.Scalar; mse: tf.Scalar };
          return [value.dataSync()[0], mm.mae.dataSync()[0], mm.mse.dataSync()[0]];
        });
        if (!Number.isFinite(vals[0])) {
          nan = true;
          break;
        }
        sLoss += vals[0];
        sMae += vals[1];
        sMse += vals[2];
      }
      // Validation, checkpoints, early stopping and callbacks read the TF.js model.
      native?.syncToModel();
      if (nan) {
        stoppedOn = 'nan';
        break;
      }
      const row: HistoryRow = {
        epoch,
        loss: sLoss / o.stepsPerEpoch,
        mae: sMae / o.stepsPerEpoch,
        mse: sMse / o.stepsPerEpoch,
        val_loss: NaN,
        val_mae: NaN,
        val_mse: NaN,
        seconds: 0,
      };
      if (val && o.valSteps > 0) {
        let vm = 0;
        let vs = 0;
        for (let s = 0; s < o.valSteps; s++) {
          const b = val.next(o.batch);
          const r = tf.tidy(() => {
            const pred = model.apply(tf.tensor4d(b.x, [o.batch, p, p, nin]), { training: false }) as tf.Tensor;
            const e = errs(pred, tf.tensor4d(b.y, [o.batch, p, p, nout]));
            return [e.mae.dataSync()[0], e.mse.dataSync()[0]];
          });
          vm += r[0];
          vs += r[1];
        }
        row.val_mae = vm / o.valSteps;
        row.val_mse = vs / o.valSteps;
        let reg = 0;
        if (o.l2 > 0) reg = tf.tidy(() => kernels.reduce((a, k) => a + o.l2 * tf.sum(tf.square(k)).dataSync()[0], 0));
        row.val_loss = (o.loss === 'mae' ? row.val_mae : row.val_mse) + reg;
      }
      row.seconds = (performance.now() - t0) / 1000;
      history.push(row);
      await o.onEpoch?.(row);
      bar?.update(epoch, { loss: row.loss.toPrecision(4), val_loss: Number.isNaN(row.val_loss) ? '-' : row.val_loss.toPrecision(4) });
      if (row.loss < best) {
        best = row.loss;
        bestEpoch = epoch;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      } else if (epoch - bestEpoch >= o.patience) {
        stoppedOn = 'early-stopping';
        break;
      }
      if (o.saveEach && o.onCheckpoint && epoch % o.saveEach === 0) await o.onCheckpoint(epoch, model);
    }
  } finally {
    bar?.stop();
    native?.dispose();
  }
  // Keras restores the best weights only when early stopping triggers; restoring
  // after NaN too keeps a usable model.
  if (bestWeights && stoppedOn !== 'epochs') model.setWeights(bestWeights);
  bestWeights?.forEach((w) => w.dispose());
  optimizer.dispose();
  return { history, stoppedOn, bestEpoch, trainer: native ? `onnxruntime-${native.layout}` : 'tfjs' };
}
