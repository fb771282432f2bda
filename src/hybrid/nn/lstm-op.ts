/**
 * The LSTM recurrence h_t, c_t = cell(pre_t + h_{t−1}·Whh, c_{t−1}) as one
 * TF.js custom-gradient op over the Float32Array kernel (lstm-kernel.ts):
 * no TF.js calls per step, forward or backward. Gate order i, f, g, o.
 */
import { tf } from '../../core/tensor/index.js';
import { nativeAvailable } from '../../core/native/sync-session.js';
import { lstmBackward, lstmForward } from './lstm-kernel.js';

/**
 * pre [nt, nb, 4H] (input projection + bias), Whh [H, 4H] → hidden states [nt, nb, H].
 * `native`: ONNX Runtime kernels (default when available) or the portable loops.
 */
export function lstmRecurrence(pre: tf.Tensor3D, Whh: tf.Tensor2D, native = nativeAvailable()): tf.Tensor3D {
  const f = tf.customGrad(((preIn: tf.Tensor3D, W: tf.Tensor2D) => {
    const [nt, nb, H4] = preIn.shape;
    const H = H4 / 4;
    const Wv = W.dataSync() as Float32Array;
    const tape = lstmForward(preIn.dataSync() as Float32Array, Wv, nt, nb, H, native);
    return {
      value: tf.tensor3d(tape.Hs.subarray(nb * H), [nt, nb, H]),
      gradFunc: (dy: tf.Tensor) => {
        const g = lstmBackward(tape, Wv, dy.dataSync() as Float32Array, native);
        return [tf.tensor3d(g.dP, [nt, nb, H4]), tf.tensor2d(g.dW, [H, H4])];
      },
    };
  }) as any);
  return f(pre, Whh) as tf.Tensor3D;
}
