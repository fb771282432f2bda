// Fused SIA-like explicit step (a benchmark and template for the glacier
// kernels): nonlinear diffusion with face diffusivity D = c · h̄⁵ · g², where
// h̄ is the face mean of h and g the face-normal slope, i.e. face flux
// q = −c · h̄⁵ · g³, and out = max(0, h + dt · div(c · h̄⁵ · g³)), zero flux
// across domain edges. Kernel ABI as in stencil.ts: rows [j0, j1), pointers
// into the shared memory, no static data. Faces are recomputed per cell so
// there are no temporaries and row bands are independent.

// @ts-ignore: decorator
@inline function flux(a: f32, b: f32, inv: f32, c: f32): f32 {
  const g = (b - a) * inv;
  const m: f32 = <f32>0.5 * (a + b);
  const m2 = m * m;
  return c * m2 * m2 * m * g * g * g;
}

// @ts-ignore: decorator
@inline function fluxV(a: v128, b: v128, inv: v128, c: v128): v128 {
  const g = f32x4.mul(f32x4.sub(b, a), inv);
  const m = f32x4.mul(f32x4.splat(0.5), f32x4.add(a, b));
  const m2 = f32x4.mul(m, m);
  return f32x4.mul(f32x4.mul(f32x4.mul(c, f32x4.mul(m2, m2)), m), f32x4.mul(f32x4.mul(g, g), g));
}

/** Scalar update of one cell with edge checks. */
function cell(h: usize, out: usize, i: i32, j: i32, nx: i32, ny: i32, invdx: f32, invdy: f32, c: f32, dt: f32): void {
  const p = h + ((<usize>j * <usize>nx + <usize>i) << 2);
  const v = load<f32>(p);
  let d: f32 = 0;
  if (i < nx - 1) d += flux(v, load<f32>(p + 4), invdx, c) * invdx;
  if (i > 0) d -= flux(load<f32>(p - 4), v, invdx, c) * invdx;
  const row = <usize>nx << 2;
  if (j < ny - 1) d += flux(v, load<f32>(p + row), invdy, c) * invdy;
  if (j > 0) d -= flux(load<f32>(p - row), v, invdy, c) * invdy;
  const r = v + dt * d;
  store<f32>(out + ((<usize>j * <usize>nx + <usize>i) << 2), r > 0 ? r : 0);
}

/** out = max(0, h + dt · div(c · h̄⁵ · (∇h)³)) for rows j0 <= j < j1. */
export function siaStep(j0: i32, j1: i32, h: usize, out: usize, nx: i32, ny: i32, invdx: f32, invdy: f32, c: f32, dt: f32): void {
  const row = <usize>nx << 2;
  const vx = f32x4.splat(invdx);
  const vy = f32x4.splat(invdy);
  const vc = f32x4.splat(c);
  const vdt = f32x4.splat(dt);
  const zero = f32x4.splat(0);
  for (let j = j0; j < j1; j++) {
    if (j == 0 || j == ny - 1 || nx < 3) {
      for (let i = 0; i < nx; i++) cell(h, out, i, j, nx, ny, invdx, invdy, c, dt);
      continue;
    }
    cell(h, out, 0, j, nx, ny, invdx, invdy, c, dt);
    const hr = h + <usize>j * row;
    const orow = out + <usize>j * row;
    let i = 1;
    for (; i + 4 <= nx - 1; i += 4) {
      const p = hr + (<usize>i << 2);
      const v = v128.load(p);
      const e = fluxV(v, v128.load(p + 4), vx, vc);
      const w = fluxV(v128.load(p - 4), v, vx, vc);
      const n = fluxV(v, v128.load(p + row), vy, vc);
      const s = fluxV(v128.load(p - row), v, vy, vc);
      const d = f32x4.add(f32x4.mul(f32x4.sub(e, w), vx), f32x4.mul(f32x4.sub(n, s), vy));
      v128.store(orow + (<usize>i << 2), f32x4.max(zero, f32x4.add(v, f32x4.mul(vdt, d))));
    }
    for (; i < nx; i++) cell(h, out, i, j, nx, ny, invdx, invdy, c, dt);
  }
}
