/**
 * Plain-TypeScript reference of the staggered gradient / divergence kernels
 * (same layout and boundary rule as assembly/stencil.ts). Works on
 * Float32Array (the TS fast path) or Float64Array (the float64 reference the
 * tests take finite differences on).
 */
type Arr = Float32Array | Float64Array;

/** x-face gradient: gx (ny, nx-1), gx[j,i] = (s[j,i+1] - s[j,i]) / dx. */
export function gradXRef<T extends Arr>(s: T, gx: T, nx: number, ny: number, dx: number): T {
  const m = nx - 1;
  const inv = 1 / dx;
  for (let j = 0; j < ny; j++) {
    const r = j * nx;
    const g = j * m;
    for (let i = 0; i < m; i++) gx[g + i] = (s[r + i + 1] - s[r + i]) * inv;
  }
  return gx;
}

/** y-face gradient: gy (ny-1, nx), gy[j,i] = (s[j+1,i] - s[j,i]) / dy. */
export function gradYRef<T extends Arr>(s: T, gy: T, nx: number, ny: number, dy: number): T {
  const inv = 1 / dy;
  for (let j = 0; j < ny - 1; j++) {
    const r = j * nx;
    for (let i = 0; i < nx; i++) gy[r + i] = (s[r + nx + i] - s[r + i]) * inv;
  }
  return gy;
}

/** Divergence of interior face fluxes, zero flux on domain edges: out (ny, nx). */
export function divergenceRef<T extends Arr>(fx: T | null, fy: T | null, out: T, nx: number, ny: number, dx: number, dy: number): T {
  const m = nx - 1;
  const ix = 1 / dx;
  const iy = 1 / dy;
  // Edge cells are written by the branchy loop, interior rows/columns by
  // branch-free loops (the TS fast path).
  for (let j = 0; j < ny; j++) {
    const r = j * nx;
    if (fx && m > 0) {
      const g = j * m;
      out[r] = fx[g] * ix;
      for (let i = 1; i < m; i++) out[r + i] = (fx[g + i] - fx[g + i - 1]) * ix;
      out[r + m] = -fx[g + m - 1] * ix;
    } else {
      for (let i = 0; i < nx; i++) out[r + i] = 0;
    }
    if (fy && ny > 1) {
      if (j > 0 && j < ny - 1) for (let i = 0; i < nx; i++) out[r + i] += (fy[r + i] - fy[r - nx + i]) * iy;
      else if (j === 0) for (let i = 0; i < nx; i++) out[r + i] += fy[r + i] * iy;
      else for (let i = 0; i < nx; i++) out[r + i] -= fy[r - nx + i] * iy;
    }
  }
  return out;
}
