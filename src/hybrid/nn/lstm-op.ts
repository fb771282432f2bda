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

/** pre [nt, nb, 4H] (input projection + bias), Whh [H, 4H] → hidden states [nt, nb, H]. */
export function lstmRecurrence(pre: tf.Tensor3D, Whh: tf.Tensor2D): tf.Tensor3D {
  const f = tf.customGrad(((preIn: tf.Tensor3D, W: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const [nt, nb, H4] = preIn.shape;
    const H = H4 / 4;
    const P = preIn.dataSync() as Float32Array;
    const A = new Float32Array(nt * nb * H4); // activated gates
    const C = new Float32Array((nt + 1) * nb * H); // cell states, C[0] = 0
    const Hs = new Float32Array((nt + 1) * nb * H); // hidden states, Hs[0] = 0
    const nh = nb * H;
    for (let t = 0; t < nt; t++) {
      const hv = Hs.subarray(t * nh, (t + 1) * nh);
      const rec = t === 0 ? null : tf.tidy(() => tf.matMul(tf.tensor2d(hv, [nb, H]), W).dataSync() as Float32Array);
      for (let b = 0; b < nb; b++) {
        const o4 = (t * nb + b) * H4, r4 = b * H4;
        for (let j = 0; j < H; j++) {
          const g = (k: number) => P[o4 + k * H + j] + (rec ? rec[r4 + k * H + j] : 0);
          const ig = sigm(g(0)), fg = sigm(g(1)), gg = Math.tanh(g(2)), og = sigm(g(3));
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
            dh = tf.tidy(() => tf.matMul(tf.tensor2d(dpt, [nb, H4]), Ws, false, true).dataSync() as Float32Array);
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
