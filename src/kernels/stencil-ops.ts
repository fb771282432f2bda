/**
 * The staggered gradient / divergence kernels as differentiable TF.js ops —
 * the pattern every nunatak kernel follows: a forward kernel plus a
 * hand-written adjoint, joined with `tf.customGrad`. Adjoints (exact, see
 * stencil.ts): gradXᵀ = −divergence(·, 0), gradYᵀ = −divergence(0, ·),
 * divergenceᵀ = −(gradX, gradY).
 *
 * Tensors are rank 2, float32, (ny, nx) cell centres / (ny, nx-1) x-faces /
 * (ny-1, nx) y-faces. dx, dy in grid units (m). Each op copies its inputs to
 * kernel memory and its output back (O(n), far below per-op TF.js overhead).
 */
import { tf } from '../core/tensor/index.js';
import { NunatakError } from '../core/errors.js';
import { gradient, divergence } from './stencil.js';

type T2 = tf.Tensor2D;
type Custom = (...inputs: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor | tf.Tensor[] };

/** tf.customGrad with its inputs typed as tensors (the save-function variant is not used here). */
function customOp(f: Custom): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor;
}

function rank2(name: string, t: tf.Tensor): [number, number] {
  if (t.rank !== 2 || t.dtype !== 'float32') {
    throw new NunatakError('SHAPE', `${name}: expected a rank-2 float32 tensor, got rank ${t.rank} ${t.dtype} [${t.shape.join(', ')}]`);
  }
  return [t.shape[0]!, t.shape[1]!];
}

function data(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function gradXImpl(s: T2, dx: number): T2 {
  const [ny, nx] = rank2('gradXOp input', s);
  return tf.tensor2d(gradient(data(s), { nx, ny, dx, dy: 1 }).gx, [ny, nx - 1]);
}

function gradYImpl(s: T2, dy: number): T2 {
  const [ny, nx] = rank2('gradYOp input', s);
  return tf.tensor2d(gradient(data(s), { nx, ny, dx: 1, dy }).gy, [ny - 1, nx]);
}

function divImpl(fx: T2 | null, fy: T2 | null, ny: number, nx: number, dx: number, dy: number): T2 {
  return tf.tensor2d(divergence(fx ? data(fx) : null, fy ? data(fy) : null, { nx, ny, dx, dy }), [ny, nx]);
}

/** ∂s/∂x on x-faces: (ny, nx) → (ny, nx-1). */
export function gradXOp(s: T2, dx: number): T2 {
  rank2('gradXOp input', s);
  const f = customOp((x: tf.Tensor) => {
    const [ny, nx] = x.shape as [number, number];
    return { value: gradXImpl(x as T2, dx), gradFunc: (g: tf.Tensor) => tf.neg(divergenceXOp(g as T2, ny, nx, dx)) };
  });
  return f(s) as T2;
}

/** ∂s/∂y on y-faces: (ny, nx) → (ny-1, nx). */
export function gradYOp(s: T2, dy: number): T2 {
  rank2('gradYOp input', s);
  const f = customOp((x: tf.Tensor) => {
    const [ny, nx] = x.shape as [number, number];
    return { value: gradYImpl(x as T2, dy), gradFunc: (g: tf.Tensor) => tf.neg(divergenceYOp(g as T2, ny, nx, dy)) };
  });
  return f(s) as T2;
}

/** Both face gradients of s: [∂s/∂x (ny, nx-1), ∂s/∂y (ny-1, nx)]. */
export function gradientOp(s: T2, dx: number, dy: number): [T2, T2] {
  return [gradXOp(s, dx), gradYOp(s, dy)];
}

/** Divergence of face fluxes fx (ny, nx-1), fy (ny-1, nx) → (ny, nx), zero flux on edges. */
export function divergenceOp(fx: T2, fy: T2, dx: number, dy: number): T2 {
  const [ny, m] = rank2('divergenceOp fx', fx);
  const [my, nx] = rank2('divergenceOp fy', fy);
  if (m !== nx - 1 || my !== ny - 1) {
    throw new NunatakError('SHAPE', `divergenceOp: fx [${fx.shape}] and fy [${fy.shape}] are not the x- and y-faces of one grid`, {
      hint: 'for a (ny, nx) grid fx is (ny, nx-1) and fy is (ny-1, nx)',
    });
  }
  const f = customOp((a: tf.Tensor, b: tf.Tensor) => ({
    value: divImpl(a as T2, b as T2, ny, nx, dx, dy),
    gradFunc: (g: tf.Tensor) => [tf.neg(gradXOp(g as T2, dx)), tf.neg(gradYOp(g as T2, dy))],
  }));
  return f(fx, fy) as T2;
}

/** ∂fx/∂x alone (x-faces → cells), zero flux on the west/east edges. */
export function divergenceXOp(fx: T2, ny: number, nx: number, dx: number): T2 {
  const f = customOp((a: tf.Tensor) => ({
    value: divImpl(a as T2, null, ny, nx, dx, 1),
    gradFunc: (g: tf.Tensor) => tf.neg(gradXOp(g as T2, dx)),
  }));
  return f(fx) as T2;
}

/** ∂fy/∂y alone (y-faces → cells), zero flux on the south/north edges. */
export function divergenceYOp(fy: T2, ny: number, nx: number, dy: number): T2 {
  const f = customOp((a: tf.Tensor) => ({
    value: divImpl(null, a as T2, ny, nx, 1, dy),
    gradFunc: (g: tf.Tensor) => tf.neg(gradYOp(g as T2, dy)),
  }));
  return f(fy) as T2;
}
