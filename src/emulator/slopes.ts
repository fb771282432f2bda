/**
 * Surface slopes from `usurf`, as `np.gradient`: central differences inside,
 * first-order one-sided differences at the edges. Rows run along +y.
 */
import { NunatakError } from '../core/errors.js';

/**
 * d/dx and d/dy of one (ny, nx) frame (C order). `dx`, `dy` in m (may be
 * negative when coordinates decrease), result in m/m.
 */
export function gradient2d(f: Float32Array, ny: number, nx: number, dx: number, dy: number): { gx: Float32Array; gy: Float32Array } {
  if (f.length !== ny * nx) throw new NunatakError('SHAPE', `gradient2d: field has ${f.length} values, expected ${ny}×${nx}`);
  if (nx < 2 || ny < 2) throw new NunatakError('SHAPE', `gradient2d: grid ${ny}×${nx} needs at least 2 cells per axis`);
  const gx = new Float32Array(ny * nx);
  const gy = new Float32Array(ny * nx);
  for (let j = 0; j < ny; j++) {
    const r = j * nx;
    gx[r] = (f[r + 1] - f[r]) / dx;
    gx[r + nx - 1] = (f[r + nx - 1] - f[r + nx - 2]) / dx;
    for (let i = 1; i < nx - 1; i++) gx[r + i] = (f[r + i + 1] - f[r + i - 1]) / (2 * dx);
  }
  for (let i = 0; i < nx; i++) {
    gy[i] = (f[nx + i] - f[i]) / dy;
    gy[(ny - 1) * nx + i] = (f[(ny - 1) * nx + i] - f[(ny - 2) * nx + i]) / dy;
  }
  for (let j = 1; j < ny - 1; j++) for (let i = 0; i < nx; i++) gy[j * nx + i] = (f[(j + 1) * nx + i] - f[(j - 1) * nx + i]) / (2 * dy);
  return { gx, gy };
}
