/**
 * A hand-made emulator for the sim tests: one 1×1 convolution, so the
 * velocity is a known linear map of the scaled inputs (thk/2000,
 * slopsurfx/1.5, slopsurfy/1.5) that the tests evaluate by hand.
 */
import { ready, tf } from '../../src/core/tensor/index.js';
import { saveEmulator } from '../../src/emulator/store.js';

/** Kernel [input][output]: rows thk, slopsurfx, slopsurfy; columns ubar, vbar. */
export const W = [
  [0.5, -0.2],
  [-2, 0.1],
  [0.3, -1.5],
];
export const B = [0.01, -0.02];
export const BOUNDS = { thk: 2000, slope: 1.5, vel: 1000 };

/** Writes the linear emulator into `dir`; declared a 3-level U-Net so odd grids are padded to multiples of 4. */
export async function writeLinearEmulator(dir: string, outputs: string[] = ['ubar', 'vbar']): Promise<void> {
  await ready('cpu');
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [null, null, 3], filters: 2, kernelSize: 1, activation: 'linear' })] });
  model.setWeights([tf.tensor4d(W.flat(), [1, 1, 3, 2]), tf.tensor1d(B)]);
  await saveEmulator(dir, model, {
    network: 'unet',
    blocks: 3,
    inputs: [{ name: 'thk', bound: BOUNDS.thk }, { name: 'slopsurfx', bound: BOUNDS.slope }, { name: 'slopsurfy', bound: BOUNDS.slope }],
    outputs: outputs.map((name) => ({ name, bound: BOUNDS.vel })),
  });
}

/** np.gradient of one frame (independent of the emulator's slopes.ts). */
export function npGradient(f: ArrayLike<number>, ny: number, nx: number, dx: number, dy: number): { gx: number[]; gy: number[] } {
  const at = (j: number, i: number) => f[j * nx + i];
  const gx: number[] = [];
  const gy: number[] = [];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const i0 = Math.max(0, i - 1), i1 = Math.min(nx - 1, i + 1);
    const j0 = Math.max(0, j - 1), j1 = Math.min(ny - 1, j + 1);
    gx.push((at(j, i1) - at(j, i0)) / ((i1 - i0) * dx));
    gy.push((at(j1, i) - at(j0, i)) / ((j1 - j0) * dy));
  }
  return { gx, gy };
}

/** The linear emulator's velocities (m a⁻¹) evaluated by hand; zero where thk = 0. */
export function expectedVelocities(thk: ArrayLike<number>, usurf: ArrayLike<number>, ny: number, nx: number, dx: number, dy: number): { u: number[]; v: number[] } {
  const { gx, gy } = npGradient(usurf, ny, nx, dx, dy);
  const u: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < ny * nx; k++) {
    const x = [thk[k] / BOUNDS.thk, gx[k] / BOUNDS.slope, gy[k] / BOUNDS.slope];
    const lin = (o: number) => BOUNDS.vel * (x[0] * W[0][o] + x[1] * W[1][o] + x[2] * W[2][o] + B[o]);
    u.push(thk[k] > 0 ? lin(0) : 0);
    v.push(thk[k] > 0 ? lin(1) : 0);
  }
  return { u, v };
}

/** A user process that copies the state right after iceflow into globalThis.__probe. */
export const PROBE = `
export function initialize() { (globalThis as any).__probe = []; }
export function update(_cfg: unknown, s: any) {
  (globalThis as any).__probe.push({ it: s.it, t: s.t, grid: s.grid, thk: Array.from(s.fields.thk.data), usurf: Array.from(s.fields.usurf.data),
    ubar: Array.from(s.fields.ubar.data), vbar: Array.from(s.fields.vbar.data), velbar_mag: Array.from(s.fields.velbar_mag.data) });
}
export function finalize() {}
`;
