/**
 * The whole LSTM parameteriser — Linear(nx→H) → ReLU → LSTM(H→H) →
 * Linear(H→ny) — as ONE TF.js custom-gradient op on Float32Arrays. Every
 * matrix product (input layer, input projection, per-step recurrence, output
 * layer and all their adjoints) is an ONNX Runtime MLAS gemm, so TF.js never
 * sees the [nt·nb, 4H] gate tensors; it only gets x and the weights in and
 * [nt, nb, ny] out. `native: false` runs the same maths as portable loops
 * (tests compare the two, and both against TF.js autodiff).
 */
import { tf } from '../../core/tensor/index.js';
import { gemmInto } from '../../core/native/gemm.js';
import { lstmBackward, lstmForward } from './lstm-kernel.js';
import { denseInto } from './native-graphs.js';
import { giveBuffers, takeBuffer } from './buffer-pool.js';

/** Rows per native dense call (measured: 2048-row chunks beat one [73000, 256]·[256, 1024] call by ~1.5×). */
const CHUNK_ROWS = 2048;

/** y [n, m] = x [n, k]·W [k, m] + b (ReLU when `relu`), in row chunks. */
function dense(x: Float32Array, W: Float32Array, b: Float32Array, n: number, k: number, m: number, relu: boolean, native: boolean, y: Float32Array = new Float32Array(n * m)): Float32Array {
  if (!native) {
    gemmInto(y, x, W, n, k, m, { portable: true });
    for (let i = 0; i < n * m; i++) {
      const v = y[i] + b[i % m];
      y[i] = relu && v < 0 ? 0 : v;
    }
    return y;
  }
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const r1 = Math.min(n, r0 + CHUNK_ROWS);
    denseInto(y.subarray(r0 * m, r1 * m), x.subarray(r0 * k, r1 * k), W, b, r1 - r0, k, m, relu);
  }
  return y;
}

/** op(A)·op(B) as a new array (portable: plain loops). */
function mm(a: Float32Array, b: Float32Array, n: number, k: number, m: number, transA: boolean, transB: boolean, native: boolean, c: Float32Array = new Float32Array(n * m)): Float32Array {
  return gemmInto(c, a, b, n, k, m, { transA, transB, portable: !native });
}

/** Column sums of d [n, m] (bias gradients). */
function colSum(d: Float32Array, n: number, m: number, native: boolean): Float32Array {
  if (native) return mm(new Float32Array(n).fill(1), d, 1, n, m, false, false, true);
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) s[j] += d[i * m + j];
  return Float32Array.from(s);
}

export interface LstmCoreWeights {
  /** [nx, H], [H] */
  Win: tf.Tensor2D;
  bin: tf.Tensor1D;
  /** [H, 4H] input-to-hidden, hidden-to-hidden; bias [4H] (b_ih + b_hh) */
  Wih: tf.Tensor2D;
  Whh: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** [H, ny], [ny] */
  Wout: tf.Tensor2D;
  bout: tf.Tensor1D;
}

/** x [nt, nb, nx] → raw outputs [nt, nb, ny]; differentiable in x and every weight. */
export function lstmCoreOp(x: tf.Tensor3D, w: LstmCoreWeights, native: boolean): tf.Tensor3D {
  const f = tf.customGrad(((xT: tf.Tensor3D, ...args: unknown[]) => {
    const ws = args.slice(0, 7) as tf.Tensor[]; // the 8th argument is TF.js's save function
    const [nt, nb, nx] = xT.shape;
    const N = nt * nb;
    const [Win, bin, Wih, Whh, bias, Wout, bout] = ws.map((t) => t.dataSync() as Float32Array);
    const H = ws[0].shape[1]!, ny = ws[5].shape[1]!, H4 = 4 * H;
    const X = xT.dataSync() as Float32Array;
    // big working arrays are recycled across iterations (buffer-pool.ts); each is fully written before it is read
    const x0 = dense(X, Win, bin, N, nx, H, true, native, takeBuffer(N * H));
    const P = dense(x0, Wih, bias, N, H, H4, false, native, takeBuffer(N * H4));
    const tape = lstmForward(P, Whh, nt, nb, H, native, true, takeBuffer);
    const hs = tape.Hs.subarray(nb * H);
    const y = dense(hs, Wout, bout, N, H, ny, false, native);
    return {
      value: tf.tensor3d(y, [nt, nb, ny]),
      gradFunc: (dy: tf.Tensor) => {
        const DY = dy.dataSync() as Float32Array;
        const dWout = mm(hs, DY, H, N, ny, true, false, native);
        const dbout = colSum(DY, N, ny, native);
        const dH = mm(DY, Wout, N, ny, H, false, true, native, takeBuffer(N * H));
        const { dP, dW: dWhh } = lstmBackward(tape, Whh, dH, native, true);
        const dbias = colSum(dP, N, H4, native);
        const dWih = mm(x0, dP, H, N, H4, true, false, native);
        const dx0 = mm(dP, Wih, N, H4, H, false, true, native, takeBuffer(N * H));
        for (let i = 0; i < dx0.length; i++) if (x0[i] <= 0) dx0[i] = 0; // ReLU
        const dWin = mm(X, dx0, nx, N, H, true, false, native);
        const dbin = colSum(dx0, N, H, native);
        const dX = mm(dx0, Win, N, H, nx, false, true, native);
        // nothing reads these after this point (the tape serves one adjoint; y and dX go to TF.js and are not recycled)
        giveBuffers(P, tape.C, tape.TC, tape.Hs, x0, dH, dx0);
        return [
          tf.tensor3d(dX, [nt, nb, nx]),
          tf.tensor2d(dWin, [nx, H]),
          tf.tensor1d(dbin),
          tf.tensor2d(dWih, [H, H4]),
          tf.tensor2d(dWhh, [H, H4]),
          tf.tensor1d(dbias),
          tf.tensor2d(dWout, [H, ny]),
          tf.tensor1d(dbout),
        ];
      },
    };
  }) as any);
  return f(x, w.Win, w.bin, w.Wih, w.Whh, w.bias, w.Wout, w.bout) as tf.Tensor3D;
}
