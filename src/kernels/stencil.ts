/**
 * Staggered-grid gradient and divergence on a regular (ny, nx) grid, run by
 * the AssemblyScript kernel `stencil` (f32, SIMD).
 *
 * Layout (C order, row j, column i):
 * - s: cell centres, (ny, nx).
 * - gx: x-faces i+½ between columns i and i+1, (ny, nx-1); gx = ∂s/∂x.
 * - gy: y-faces j+½ between rows j and j+1, (ny-1, nx); gy = ∂s/∂y.
 * Only interior faces are stored; divergence treats the domain edges as
 * zero-flux faces, so Σ div·dx·dy = 0 (mass is conserved) and the adjoints are
 * exact: divergenceᵀ = −gradient and gradientᵀ = −divergence.
 */
import { NunatakError } from '../core/errors.js';
import { kernelRuntime, withScratch } from './runtime.js';
import { kernelFn } from './loader.js';

/** Grid sizes and spacings (dx, dy in the grid's units, e.g. m). */
export interface StencilGrid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
}

function check(name: string, a: ArrayLike<number>, n: number, what: string): void {
  if (a.length !== n) throw new NunatakError('SHAPE', `${name}: ${a.length} values, expected ${n} (${what})`);
}

function checkGrid(g: StencilGrid): void {
  if (!(Number.isInteger(g.nx) && Number.isInteger(g.ny) && g.nx >= 1 && g.ny >= 1)) {
    throw new NunatakError('SHAPE', `stencil grid ${g.ny}×${g.nx} is not a positive integer size`);
  }
  if (!(Number.isFinite(g.dx) && Number.isFinite(g.dy) && g.dx !== 0 && g.dy !== 0)) {
    throw new NunatakError('SHAPE', `stencil grid spacing dx=${g.dx}, dy=${g.dy} must be finite and non-zero`);
  }
}

function stencilFns() {
  const k = kernelRuntime().module('stencil');
  return { mem: k.memory, gradX: kernelFn(k, 'gradX'), gradY: kernelFn(k, 'gradY'), divergence: kernelFn(k, 'divergence') };
}

/**
 * ∂s/∂x on x-faces and ∂s/∂y on y-faces of cell-centred `s` (ny·nx values).
 * Returns new arrays gx (ny·(nx-1)) and gy ((ny-1)·nx), units of s per grid unit.
 */
export function gradient(s: Float32Array, grid: StencilGrid): { gx: Float32Array; gy: Float32Array } {
  checkGrid(grid);
  const { nx, ny, dx, dy } = grid;
  check('gradient input s', s, nx * ny, `ny×nx = ${ny}×${nx}`);
  const f = stencilFns();
  return withScratch([s], [ny * (nx - 1), (ny - 1) * nx], ([ps], [gx, gy]) => {
    f.gradX(0, ny, f.mem.ptr(ps), f.mem.ptr(gx), nx, 1 / dx);
    f.gradY(0, ny, f.mem.ptr(ps), f.mem.ptr(gy), nx, ny, 1 / dy);
    return { gx: gx.slice(), gy: gy.slice() };
  });
}

/**
 * Divergence (∂fx/∂x + ∂fy/∂y) at cell centres of interior face fluxes fx
 * (ny·(nx-1)) and fy ((ny-1)·nx), zero flux across the domain edges; either
 * may be null (zero). Returns a new ny·nx array, flux units per grid unit.
 */
export function divergence(fx: Float32Array | null, fy: Float32Array | null, grid: StencilGrid): Float32Array {
  checkGrid(grid);
  const { nx, ny, dx, dy } = grid;
  if (fx) check('divergence input fx', fx, ny * (nx - 1), `x-faces ny×(nx-1) = ${ny}×${nx - 1}`);
  if (fy) check('divergence input fy', fy, (ny - 1) * nx, `y-faces (ny-1)×nx = ${ny - 1}×${nx}`);
  const f = stencilFns();
  const ins = [fx ?? new Float32Array(0), fy ?? new Float32Array(0)];
  return withScratch(ins, [ny * nx], ([pfx, pfy], [out]) => {
    // Pointer 0 means "absent" to the kernel; allocations never start at 0.
    f.divergence(0, ny, fx ? f.mem.ptr(pfx) : 0, fy ? f.mem.ptr(pfy) : 0, f.mem.ptr(out), nx, ny, 1 / dx, 1 / dy);
    return out.slice();
  });
}
