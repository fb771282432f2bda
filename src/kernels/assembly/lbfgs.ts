// L-BFGS vector algebra for the Blatter–Pattyn solve (sim face,
// src/sim/physics/bp/lbfgs-wasm.ts): the line-search step, the fused
// axpy + dot passes of the two-loop recursion and the correction-pair update,
// in f64x2 SIMD over vectors living in the shared kernel memory.
//
// Storage: iterates and directions f64 (x, xt, d), gradients and correction
// pairs f32 (g, gt, s, y; the gradient comes from the f32 energy kernel), the
// energy's input (uv) f32. Arithmetic in f64, element by element the same
// operations as the TypeScript backend (physics/bp/lbfgs.ts); only the
// summation order of the dot products differs.
//
// Work split: vectors of n entries (n even) in chunks of ch entries (ch a
// multiple of 8); a function runs chunks [c0, c1) (the kernel ABI's row
// range, so a BandPool can split them over threads) and writes each chunk's
// dot product(s) to part[c] (part[3c..3c+2] for `pair`). The caller sums the
// partials in chunk order, so results do not depend on the thread count.
// No static data (see stencil.ts).

// @ts-ignore: decorator
@inline function ldF(p: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
}

// @ts-ignore: decorator
@inline function ldD(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function stF(p: usize, i: i32, v: v128): void {
  v128.store64_lane(p + (<usize>i << 2), f32x4.demote_f64x2_zero(v), 0);
}

// @ts-ignore: decorator
@inline function stD(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline function chunkEnd(c: i32, n: i32, ch: i32): i32 {
  const e = (c + 1) * ch;
  return e < n ? e : n;
}

/** xt = x + a·d (f64) and uv = f32(xt), the energy's input. */
export function lsStep(c0: i32, c1: i32, n: i32, ch: i32, x: usize, d: usize, a: f64, xt: usize, uv: usize): void {
  const va = f64x2.splat(a);
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    for (let i = c * ch; i < e; i += 2) {
      const v = f64x2.add(ldD(x, i), f64x2.mul(va, ldD(d, i)));
      stD(xt, i, v);
      stF(uv, i, v);
    }
  }
}

// Reductions keep four f64x2 accumulators (8 entries a step): with one, the
// add latency (4 cycles per f64x2) and not memory bandwidth bounds a pass.

// @ts-ignore: decorator
@inline function sum4(a0: v128, a1: v128, a2: v128, a3: v128): f64 {
  return hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
}

/**
 * part[2c] = Σ g·d, part[2c+1] = Σ g·g over chunk c (g f32, d f64): a trial
 * point's slope along d and its gradient norm², in one pass.
 */
export function slope(c0: i32, c1: i32, n: i32, ch: i32, g: usize, d: usize, part: usize): void {
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    let gd0 = f64x2.splat(0), gd1 = gd0, gg0 = gd0, gg1 = gd0;
    let i = c * ch;
    for (; i + 4 <= e; i += 4) {
      const a = ldF(g, i), b = ldF(g, i + 2);
      gd0 = f64x2.add(gd0, f64x2.mul(a, ldD(d, i)));
      gd1 = f64x2.add(gd1, f64x2.mul(b, ldD(d, i + 2)));
      gg0 = f64x2.add(gg0, f64x2.mul(a, a));
      gg1 = f64x2.add(gg1, f64x2.mul(b, b));
    }
    for (; i < e; i += 2) {
      const a = ldF(g, i);
      gd0 = f64x2.add(gd0, f64x2.mul(a, ldD(d, i)));
      gg0 = f64x2.add(gg0, f64x2.mul(a, a));
    }
    const o = part + (<usize>(2 * c) << 3);
    store<f64>(o, hsum(f64x2.add(gd0, gd1)));
    store<f64>(o + 8, hsum(f64x2.add(gg0, gg1)));
  }
}

/** part[c] = Σ a·b over chunk c, both f64 (the first step's ‖d‖², once a solve). */
export function dotDD(c0: i32, c1: i32, n: i32, ch: i32, a: usize, b: usize, part: usize): void {
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    let acc = f64x2.splat(0);
    for (let i = c * ch; i < e; i += 2) acc = f64x2.add(acc, f64x2.mul(ldD(a, i), ldD(b, i)));
    store<f64>(part + (<usize>c << 3), hsum(acc));
  }
}

// @ts-ignore: decorator
@inline function setAt(d: usize, vs: v128, g: usize, w: usize, i: i32): v128 {
  const v = f64x2.mul(vs, ldF(g, i));
  stD(d, i, v);
  return f64x2.mul(ldF(w, i), v);
}

/** d = scale·g (g f32); part[c] = Σ w·d (w f32): the two-loop's first pass, or steepest descent with its slope. */
export function setDot(c0: i32, c1: i32, n: i32, ch: i32, d: usize, scale: f64, g: usize, w: usize, part: usize): void {
  const vs = f64x2.splat(scale);
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0;
    let i = c * ch;
    for (; i + 8 <= e; i += 8) {
      a0 = f64x2.add(a0, setAt(d, vs, g, w, i));
      a1 = f64x2.add(a1, setAt(d, vs, g, w, i + 2));
      a2 = f64x2.add(a2, setAt(d, vs, g, w, i + 4));
      a3 = f64x2.add(a3, setAt(d, vs, g, w, i + 6));
    }
    for (; i < e; i += 2) a0 = f64x2.add(a0, setAt(d, vs, g, w, i));
    store<f64>(part + (<usize>c << 3), sum4(a0, a1, a2, a3));
  }
}

// @ts-ignore: decorator
@inline function axpyAt(d: usize, vs: v128, vc: v128, v: usize, w: usize, i: i32): v128 {
  const r = f64x2.mul(vs, f64x2.add(ldD(d, i), f64x2.mul(vc, ldF(v, i))));
  stD(d, i, r);
  return f64x2.mul(ldF(w, i), r);
}

/** d = scale·(d + coef·v) (v f32); part[c] = Σ w·d (w f32): one pass of the two-loop recursion fused with the next one's dot. */
export function axpyDot(c0: i32, c1: i32, n: i32, ch: i32, d: usize, scale: f64, coef: f64, v: usize, w: usize, part: usize): void {
  const vs = f64x2.splat(scale), vc = f64x2.splat(coef);
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0;
    let i = c * ch;
    for (; i + 8 <= e; i += 8) {
      a0 = f64x2.add(a0, axpyAt(d, vs, vc, v, w, i));
      a1 = f64x2.add(a1, axpyAt(d, vs, vc, v, w, i + 2));
      a2 = f64x2.add(a2, axpyAt(d, vs, vc, v, w, i + 4));
      a3 = f64x2.add(a3, axpyAt(d, vs, vc, v, w, i + 6));
    }
    for (; i < e; i += 2) a0 = f64x2.add(a0, axpyAt(d, vs, vc, v, w, i));
    store<f64>(part + (<usize>c << 3), sum4(a0, a1, a2, a3));
  }
}

// @ts-ignore: decorator
@inline function rnd(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * New correction pair s = f32(α·d), y = f32(gt − g); part[3c..3c+2] = sᵀy,
 * sᵀs, yᵀy over chunk c, of the rounded values (so ρ = 1/sᵀy matches what is
 * stored). Two entries pairs a step, two accumulators per sum.
 */
export function pair(c0: i32, c1: i32, n: i32, ch: i32, d: usize, alpha: f64, gt: usize, g: usize, s: usize, y: usize, part: usize): void {
  const va = f64x2.splat(alpha);
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    let sy0 = f64x2.splat(0), ss0 = sy0, yy0 = sy0, sy1 = sy0, ss1 = sy0, yy1 = sy0;
    let i = c * ch;
    for (; i + 4 <= e; i += 4) {
      const s0 = rnd(f64x2.mul(va, ldD(d, i))), s1 = rnd(f64x2.mul(va, ldD(d, i + 2)));
      const y0 = rnd(f64x2.sub(ldF(gt, i), ldF(g, i))), y1 = rnd(f64x2.sub(ldF(gt, i + 2), ldF(g, i + 2)));
      stF(s, i, s0);
      stF(s, i + 2, s1);
      stF(y, i, y0);
      stF(y, i + 2, y1);
      sy0 = f64x2.add(sy0, f64x2.mul(s0, y0));
      ss0 = f64x2.add(ss0, f64x2.mul(s0, s0));
      yy0 = f64x2.add(yy0, f64x2.mul(y0, y0));
      sy1 = f64x2.add(sy1, f64x2.mul(s1, y1));
      ss1 = f64x2.add(ss1, f64x2.mul(s1, s1));
      yy1 = f64x2.add(yy1, f64x2.mul(y1, y1));
    }
    for (; i < e; i += 2) {
      const s0 = rnd(f64x2.mul(va, ldD(d, i)));
      const y0 = rnd(f64x2.sub(ldF(gt, i), ldF(g, i)));
      stF(s, i, s0);
      stF(y, i, y0);
      sy0 = f64x2.add(sy0, f64x2.mul(s0, y0));
      ss0 = f64x2.add(ss0, f64x2.mul(s0, s0));
      yy0 = f64x2.add(yy0, f64x2.mul(y0, y0));
    }
    const o = part + (<usize>(3 * c) << 3);
    store<f64>(o, hsum(f64x2.add(sy0, sy1)));
    store<f64>(o + 8, hsum(f64x2.add(ss0, ss1)));
    store<f64>(o + 16, hsum(f64x2.add(yy0, yy1)));
  }
}

/** dst = f32(src) (src f64): the answer back into the energy's layout. */
export function toF32(c0: i32, c1: i32, n: i32, ch: i32, src: usize, dst: usize): void {
  for (let c = c0; c < c1; c++) {
    const e = chunkEnd(c, n, ch);
    for (let i = c * ch; i < e; i += 2) stF(dst, i, ldD(src, i));
  }
}
