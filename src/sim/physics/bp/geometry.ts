/**
 * Blatter–Pattyn geometry and its once-per-geometry precomputation on the
 * staggered grid: corner (j, i) sits between cells (j, j+1) × (i, i+1);
 * (ny−1)(nx−1) corners, or ny·nx with indices wrapping when periodic.
 */
import { NunatakError } from '../../../core/errors.js';
import type { BPSettings } from './settings.js';

/** Inputs of the energy that do not change while U, V are sought. Rows run south → north, dy = dx. */
export interface BPGeometry {
  nx: number;
  ny: number;
  /** Cell size (m). */
  dx: number;
  /** Ice thickness (m), ny·nx; cells with thk ≤ 0 are ice-free. */
  thk: Float32Array;
  /** Surface elevation (m), ny·nx (the periodic part when `slope` is set). */
  usurf: Float32Array;
  /** Rate factor A (MPa⁻ⁿ a⁻¹), scalar or ny·nx. */
  arrhenius: number | Float32Array;
  /** Sliding coefficient c (MPa a^(1/m) m^(−1/m)), scalar or ny·nx; used as is (IGM new_friction_param). */
  slidingco: number | Float32Array;
  /** Extra uniform slope (dimensionless) added to ∂s/∂x, ∂s/∂y and ∂b/∂x, ∂b/∂y (periodic domains). */
  slope?: { x: number; y: number };
}

/** Per-corner quantities the energy reuses (float64). */
export interface BPCorners {
  /** Corner grid: nyc rows × nxc columns, n = nyc·nxc. */
  nyc: number;
  nxc: number;
  n: number;
  /** stag4(thk) (m). */
  thk: Float64Array;
  /** stag4(B), B = 2 A^(−1/n) (MPa a^(1/n)). */
  B: Float64Array;
  /** stag4(c). */
  C: Float64Array;
  /** Bed slope ∂b/∂x, ∂b/∂y (IGM _compute_gradient_stag) plus `slope`. */
  bx: Float64Array;
  by: Float64Array;
  /** Surface slope ∂s/∂x, ∂s/∂y plus `slope`. */
  sx: Float64Array;
  sy: Float64Array;
  /** Factor on ∂U/∂z, ∂V/∂z: 0.01 where stag4(c) = 0 (IGM's floating-ice hack) unless no_slip, else 1. */
  hz: Float64Array;
  /** 1 where all four cells hold ice (IGM's COND), else 0. */
  ice: Uint8Array;
}

function field(name: string, v: number | Float32Array, nx: number, nc: number, ok: (x: number) => boolean, expected: string): (k: number) => number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !ok(v)) throw new NunatakError('INPUT', `Blatter–Pattyn geometry: '${name}' = ${v} is invalid`, { hint: `expected ${expected}` });
    return () => v;
  }
  checkArray(name, v, nx, nc, ok, expected);
  return (k) => v[k];
}

function checkArray(name: string, a: Float32Array, nx: number, nc: number, ok: (x: number) => boolean, expected: string): void {
  if (!(a instanceof Float32Array) || a.length !== nc) {
    throw new NunatakError('SHAPE', `Blatter–Pattyn geometry: '${name}' must be a Float32Array of ny·nx = ${nc} values`, {
      hint: `got ${a instanceof Float32Array ? `${a.length} values` : typeof a}`,
    });
  }
  for (let k = 0; k < nc; k++) {
    if (!Number.isFinite(a[k]) || !ok(a[k])) {
      throw new NunatakError('INPUT', `Blatter–Pattyn geometry: '${name}' is ${a[k]} at row j = ${Math.floor(k / nx)}, column i = ${k % nx}`, { hint: `expected ${expected}` });
    }
  }
}

/** Validates `geom` (throws NunatakError naming the field) and precomputes the corner quantities. */
export function bpCorners(geom: BPGeometry, s: BPSettings): BPCorners {
  const { nx, ny, dx } = geom;
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 2 || ny < 2) {
    throw new NunatakError('SHAPE', `Blatter–Pattyn geometry: grid ${ny}×${nx} is invalid`, { hint: 'nx and ny must be integers ≥ 2' });
  }
  if (!(dx > 0) || !Number.isFinite(dx)) throw new NunatakError('INPUT', `Blatter–Pattyn geometry: 'dx' = ${dx} is invalid`, { hint: 'expected a cell size > 0 in m' });
  const nc = nx * ny;
  const any = () => true;
  checkArray('thk', geom.thk, nx, nc, any, 'finite thickness in m');
  checkArray('usurf', geom.usurf, nx, nc, any, 'finite surface elevation in m');
  const A = field('arrhenius', geom.arrhenius, nx, nc, (x) => x > 0, 'A > 0 in MPa⁻ⁿ a⁻¹ (IGM default 78)');
  const c = field('slidingco', geom.slidingco, nx, nc, (x) => x >= 0, 'c ≥ 0 in MPa a^(1/m) m^(−1/m) (IGM default 0.0464)');
  const sl = geom.slope ?? { x: 0, y: 0 };
  if (!Number.isFinite(sl.x) || !Number.isFinite(sl.y)) {
    throw new NunatakError('INPUT', `Blatter–Pattyn geometry: 'slope' = {x: ${sl.x}, y: ${sl.y}} is invalid`, { hint: 'expected finite dimensionless slopes' });
  }
  const nyc = s.periodic ? ny : ny - 1;
  const nxc = s.periodic ? nx : nx - 1;
  const n = nyc * nxc;
  const out: BPCorners = {
    nyc, nxc, n,
    thk: new Float64Array(n), B: new Float64Array(n), C: new Float64Array(n),
    bx: new Float64Array(n), by: new Float64Array(n), sx: new Float64Array(n), sy: new Float64Array(n),
    hz: new Float64Array(n), ice: new Uint8Array(n),
  };
  const { thk, usurf } = geom;
  const ex = -1 / s.exp_glen;
  const Bof = (k: number) => 2 * Math.pow(A(k), ex);
  const inv = 1 / (2 * dx);
  for (let j = 0; j < nyc; j++) {
    const r0 = j * nx;
    const r1 = ((j + 1) % ny) * nx;
    for (let i = 0; i < nxc; i++) {
      const i1 = (i + 1) % nx;
      const a = r0 + i, b = r0 + i1, cc = r1 + i, d = r1 + i1;
      const k = j * nxc + i;
      out.thk[k] = (thk[a] + thk[b] + thk[cc] + thk[d]) / 4;
      out.B[k] = (Bof(a) + Bof(b) + Bof(cc) + Bof(d)) / 4;
      out.C[k] = (c(a) + c(b) + c(cc) + c(d)) / 4;
      // IGM _compute_gradient_stag: difference along the axis, averaged over the other
      out.sx[k] = (usurf[b] - usurf[a] + usurf[d] - usurf[cc]) * inv + sl.x;
      out.sy[k] = (usurf[cc] - usurf[a] + usurf[d] - usurf[b]) * inv + sl.y;
      const ba = usurf[a] - thk[a], bb = usurf[b] - thk[b], bc = usurf[cc] - thk[cc], bd = usurf[d] - thk[d];
      out.bx[k] = (bb - ba + bd - bc) * inv + sl.x;
      out.by[k] = (bc - ba + bd - bb) * inv + sl.y;
      out.hz[k] = out.C[k] > 0 || s.no_slip ? 1 : 0.01;
      out.ice[k] = thk[a] > 0 && thk[b] > 0 && thk[cc] > 0 && thk[d] > 0 ? 1 : 0;
    }
  }
  return out;
}

/** 1 where a velocity entry [k][j][i] is free: ice in the cell, and not the bed level under no_slip. */
export function bpFreeMask(geom: BPGeometry, s: BPSettings): Uint8Array {
  const nc = geom.nx * geom.ny;
  const free = new Uint8Array(s.Nz * nc);
  for (let k = s.no_slip ? 1 : 0; k < s.Nz; k++) {
    for (let c = 0; c < nc; c++) free[k * nc + c] = geom.thk[c] > 0 ? 1 : 0;
  }
  return free;
}
