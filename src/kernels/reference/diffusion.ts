/**
 * Plain-TypeScript reference of the fused SIA-like step in
 * assembly/diffusion.ts: out = max(0, h + dt · div(c · h̄⁵ · g³)) with g the
 * face-normal slope, h̄ the face mean, zero flux across domain edges.
 */
type Arr = Float32Array | Float64Array;

export function siaStepRef<T extends Arr>(h: T, out: T, nx: number, ny: number, dx: number, dy: number, c: number, dt: number): T {
  const ix = 1 / dx;
  const iy = 1 / dy;
  const flux = (a: number, b: number, inv: number) => {
    const g = (b - a) * inv;
    const m = 0.5 * (a + b);
    const m2 = m * m;
    return c * m2 * m2 * m * g * g * g; // products, not **: Math.pow is ~10x slower
  };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const v = h[k];
      let d = 0;
      if (i < nx - 1) d += flux(v, h[k + 1], ix) * ix;
      if (i > 0) d -= flux(h[k - 1], v, ix) * ix;
      if (j < ny - 1) d += flux(v, h[k + nx], iy) * iy;
      if (j > 0) d -= flux(h[k - nx], v, iy) * iy;
      const r = v + dt * d;
      out[k] = r > 0 ? r : 0;
    }
  }
  return out;
}
