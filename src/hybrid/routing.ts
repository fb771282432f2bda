/**
 * Gamma unit-hydrograph routing (δMG `uh_gamma` / `uh_conv`): weights
 * w_k ∝ t_k^(α−1)·exp(−t_k/θ) at t_k = 0.5 … lenF−0.5 days, normalised to sum 1
 * (so Γ(α)·θ^α cancels), α = relu(a)+0.1, θ = relu(b)+0.5 d; then the causal
 * convolution Q_r(t) = Σ_k w_k·Q(t−k) with zero flow before the window.
 * Plain TF.js ops, so it is differentiable in a, b and Q.
 */
import { tf } from '../core/tensor/index.js';

/** UH weights [nb, lenF] from shape a [nb] (−) and scale b [nb] (days). */
export function gammaUhWeights(a: tf.Tensor1D, b: tf.Tensor1D, lenF = 15): tf.Tensor2D {
  return tf.tidy(() => {
    const tk = tf.range(0.5, lenF, 1, 'float32'); // [lenF]
    const alpha = tf.add(tf.relu(a), 0.1).reshape([-1, 1]);
    const theta = tf.add(tf.relu(b), 0.5).reshape([-1, 1]);
    const logits = tf.sub(tf.mul(tf.sub(alpha, 1), tf.log(tk)), tf.div(tk, theta));
    return tf.softmax(logits, -1) as tf.Tensor2D;
  });
}

/** Route Q [nt, nb] (mm/d) with weights w [nb, lenF]: Q_r(t) = Σ_k w_k·Q(t−k). */
export function uhConv(q: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [nt, nb] = q.shape;
    const lenF = w.shape[1];
    const qpad = tf.pad(q, [[lenF - 1, 0], [0, 0]]);
    let out: tf.Tensor = tf.zeros([nt, nb]);
    for (let k = 0; k < lenF; k++) {
      const wk = tf.reshape(tf.slice(w, [0, k], [nb, 1]), [1, nb]);
      out = tf.add(out, tf.mul(tf.slice(qpad, [lenF - 1 - k, 0], [nt, nb]), wk));
    }
    return out as tf.Tensor2D;
  });
}
