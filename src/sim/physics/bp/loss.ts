/**
 * The Blatter–Pattyn energy as a TF.js scalar loss with a custom gradient:
 * one fused energy + adjoint call per batch item in the forward pass, the
 * gradient kept for the backward pass (no op-by-op graph).
 */
import { tf } from '../../../core/tensor/index.js';
import { NunatakError } from '../../../core/errors.js';
import type { BPProblem } from './problem-api.js';

type Custom = (...inputs: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor | tf.Tensor[] };

function checkShapes(Y: tf.Tensor, problems: BPProblem[]): [number, number, number, number] {
  if (Y.rank !== 4 || Y.dtype !== 'float32') {
    throw new NunatakError('SHAPE', `bpEnergyLoss: Y must be a rank-4 float32 tensor [batch, ny, nx, 2·Nz], got rank ${Y.rank} ${Y.dtype} [${Y.shape.join(', ')}]`);
  }
  const [B, ny, nx, ch] = Y.shape as [number, number, number, number];
  if (problems.length !== B) {
    throw new NunatakError('SHAPE', `bpEnergyLoss: ${problems.length} problems for a batch of ${B}`, { hint: 'pass one BPProblem per batch item' });
  }
  problems.forEach((p, b) => {
    if (p.geom.ny !== ny || p.geom.nx !== nx || 2 * p.settings.Nz !== ch) {
      throw new NunatakError('SHAPE', `bpEnergyLoss: problem ${b} is ${p.geom.ny}×${p.geom.nx} with Nz = ${p.settings.Nz}, Y item is [${ny}, ${nx}, ${ch}]`, {
        hint: 'Y channels are 0..Nz−1 = U bed → surface, Nz..2Nz−1 = V',
      });
    }
  });
  return [B, ny, nx, ch];
}

/**
 * Mean over the batch of the energies J (MPa m a⁻¹) of Y [batch, ny, nx, 2·Nz]
 * (channels 0..Nz−1 = U levels bed → surface, Nz..2Nz−1 = V), item b under
 * problems[b]; differentiable with respect to Y (gradient from the adjoint).
 */
export function bpEnergyLoss(Y: tf.Tensor4D, problems: BPProblem[]): tf.Scalar {
  const [B, ny, nx, ch] = checkShapes(Y, problems);
  const Nz = ch / 2;
  const plane = ny * nx;
  const f = (y: tf.Tensor) => {
    const data = y.dataSync() as Float32Array;
    const grad = new Float32Array(data.length);
    const size = Nz * plane;
    const U = new Float32Array(size), V = new Float32Array(size);
    const gU = new Float32Array(size), gV = new Float32Array(size);
    let total = 0;
    for (let b = 0; b < B; b++) {
      const base = b * plane * ch;
      // channels-last [j][i][c] → [k][j][i]
      for (let c = 0; c < plane; c++) {
        const o = base + c * ch;
        for (let k = 0; k < Nz; k++) {
          U[k * plane + c] = data[o + k];
          V[k * plane + c] = data[o + Nz + k];
        }
      }
      total += problems[b].energy(U, V, gU, gV);
      for (let c = 0; c < plane; c++) {
        const o = base + c * ch;
        for (let k = 0; k < Nz; k++) {
          grad[o + k] = gU[k * plane + c] / B;
          grad[o + Nz + k] = gV[k * plane + c] / B;
        }
      }
    }
    return {
      value: tf.scalar(total / B),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor4d(grad, [B, ny, nx, ch])),
    };
  };
  const op = tf.customGrad(f as unknown as Custom as unknown as Parameters<typeof tf.customGrad>[0]) as (y: tf.Tensor) => tf.Tensor;
  return op(Y) as tf.Scalar;
}
