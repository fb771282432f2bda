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
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let d = 0;
      if (fx) {
        const e = i < m ? fx[j * m + i] : 0;
        const w = i > 0 ? fx[j * m + i - 1] : 0;
        d += (e - w) * ix;
      }
      if (fy) {
        const n = j < ny - 1 ? fy[j * nx + i] : 0;
        const s = j > 0 ? fy[(j - 1) * nx + i] : 0;
        d += (n - s) * iy;
      }
      out[j * nx + i] = d;
    }
  }
  return out;
}
