/**
 * The LSTM recurrence h_t, c_t = cell(pre_t + h_{t−1}·Whh, c_{t−1}) as one
 * TF.js custom-gradient op. Per step only the matMul goes through TF.js (wasm
 * XNNPACK); the gate nonlinearities and the cell update — and, backwards, their
 * hand-written derivatives — run as plain loops over Float32Arrays, so a step
 * costs two TF.js calls instead of ~12 recorded ops forward and ~25 backward.
 * dWhh is ONE matMul over all steps. Gate order i, f, g, o (PyTorch's).
 */
import { tf } from '../../core/tensor/index.js';

const sigm = (x: number) => 1 / (1 + Math.exp(-x));

/** Below this many multiply-adds per step a plain loop beats a TF.js call (per-call overhead). */
const JS_MATMUL_MAX = 4_000_000;

/** out[n, m] = a[n, k] · b[k, m] (bT: b given as [m, k]), row-major Float32Arrays. */
function matmulInto(out: Float32Array, a: Float32Array, b: Float32Array, n: number, k: number, m: number, bT: boolean): void {
  out.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      if (bT) for (let j = 0; j < m; j++) out[oi + j] += av * b[j * k + p];
      else {
        const bp = p * m;
        for (let j = 0; j < m; j++) out[oi + j] += av * b[bp + j];
      }
    }
  }
}

/**
 * pre [nt, nb, 4H] (input projection + bias), Whh [H, 4H] → hidden states [nt, nb, H].
 * `jsMatmulMax`: per-step size (multiply-adds) up to which the recurrent matMul runs as a plain loop.
 */
export function lstmRecurrence(pre: tf.Tensor3D, Whh: tf.Tensor2D, jsMatmulMax = JS_MATMUL_MAX): tf.Tensor3D {
  const f = tf.customGrad(((preIn: tf.Tensor3D, W: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const [nt, nb, H4] = preIn.shape;
    const H = H4 / 4;
    const P = preIn.dataSync() as Float32Array;
    const A = new Float32Array(nt * nb * H4); // activated gates
    const C = new Float32Array((nt + 1) * nb * H); // cell states, C[0] = 0
    const Hs = new Float32Array((nt + 1) * nb * H); // hidden states, Hs[0] = 0
    const nh = nb * H;
    const small = nb * H * H4 <= jsMatmulMax;
    const Wv = small ? (W.dataSync() as Float32Array) : undefined;
    const recBuf = new Float32Array(nb * H4);
    for (let t = 0; t < nt; t++) {
      const hv = Hs.subarray(t * nh, (t + 1) * nh);
      let rec: Float32Array;
      if (t === 0) rec = recBuf.fill(0);
      else if (small) {
        matmulInto(recBuf, hv, Wv!, nb, H, H4, false);
        rec = recBuf;
      } else rec = tf.tidy(() => tf.matMul(tf.tensor2d(hv, [nb, H]), W).dataSync() as Float32Array);
      for (let b = 0; b < nb; b++) {
        const o4 = (t * nb + b) * H4, r4 = b * H4;
        for (let j = 0; j < H; j++) {
          const ig = sigm(P[o4 + j] + rec[r4 + j]);
          const fg = sigm(P[o4 + H + j] + rec[r4 + H + j]);
          const gg = Math.tanh(P[o4 + 2 * H + j] + rec[r4 + 2 * H + j]);
          const og = sigm(P[o4 + 3 * H + j] + rec[r4 + 3 * H + j]);
          A[o4 + j] = ig;
          A[o4 + H + j] = fg;
          A[o4 + 2 * H + j] = gg;
          A[o4 + 3 * H + j] = og;
          const c = fg * C[t * nh + b * H + j] + ig * gg;
          C[(t + 1) * nh + b * H + j] = c;
          Hs[(t + 1) * nh + b * H + j] = og * Math.tanh(c);
        }
      }
    }
    save([W]);
    return {
      value: tf.tensor3d(Hs.subarray(nh), [nt, nb, H]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const Ws = saved[0];
        const DY = dy.dataSync() as Float32Array;
        const DP = new Float32Array(nt * nb * H4);
        let dh: Float32Array = new Float32Array(nh);
        const dc = new Float32Array(nh);
        for (let t = nt - 1; t >= 0; t--) {
          for (let b = 0; b < nb; b++) {
            const o4 = (t * nb + b) * H4;
            for (let j = 0; j < H; j++) {
              const q = b * H + j;
              const ig = A[o4 + j], fg = A[o4 + H + j], gg = A[o4 + 2 * H + j], og = A[o4 + 3 * H + j];
              const ct = C[(t + 1) * nh + q], cp = C[t * nh + q];
              const dht = DY[t * nh + q] + dh[q];
              const tc = Math.tanh(ct);
              const dct = dc[q] + dht * og * (1 - tc * tc);
              DP[o4 + j] = dct * gg * ig * (1 - ig);
              DP[o4 + H + j] = dct * cp * fg * (1 - fg);
              DP[o4 + 2 * H + j] = dct * ig * (1 - gg * gg);
              DP[o4 + 3 * H + j] = dht * tc * og * (1 - og);
              dc[q] = dct * fg;
            }
          }
          if (t > 0) {
            const dpt = DP.subarray(t * nb * H4, (t + 1) * nb * H4);
            if (small) matmulInto(dh, dpt, Wv!, nb, H4, H, true);
            else dh = tf.tidy(() => tf.matMul(tf.tensor2d(dpt, [nb, H4]), Ws, false, true).dataSync() as Float32Array);
          }
        }
        const dPre = tf.tensor3d(DP, [nt, nb, H4]);
        const dW = tf.tidy(() => tf.matMul(tf.tensor2d(Hs.subarray(0, nt * nh), [nt * nb, H]), tf.tensor2d(DP, [nt * nb, H4]), true, false));
        return [dPre, dW];
      },
    };
  }) as any);
  return f(pre, Whh) as tf.Tensor3D;
}
