// Frame reductions for the UDF face: per-element sums and moments over a
// block of `depth` float32 frames of `n` values each (C order (depth, n)),
// accumulated in f64. Kernel ABI (see stencil.ts): the first two arguments
// are the element range [i0, i1) this call computes; arrays are byte offsets
// into the imported shared memory; f64 arrays must be 8-byte aligned.
//
// SIMD: 4 float32 values per load, widened to two f64x2 lanes, so the f64
// results equal a scalar f64 loop over the same frame order exactly.

/** out[i] += Σ_f x[f·n + i] for i in [i0, i1). */
export function sumF32(i0: i32, i1: i32, out: usize, x: usize, n: i32, depth: i32): void {
  const stride = <usize>n << 2;
  let i = i0;
  // 8 elements per step: four independent f64x2 chains hide the add latency.
  for (; i + 8 <= i1; i += 8) {
    const o = out + (<usize>i << 3);
    let a = v128.load(o);
    let b = v128.load(o + 16);
    let c = v128.load(o + 32);
    let d = v128.load(o + 48);
    let p = x + (<usize>i << 2);
    for (let f = 0; f < depth; f++) {
      const v = v128.load(p);
      const w = v128.load(p + 16);
      a = f64x2.add(a, f64x2.promote_low_f32x4(v));
      b = f64x2.add(b, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      c = f64x2.add(c, f64x2.promote_low_f32x4(w));
      d = f64x2.add(d, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
      p += stride;
    }
    v128.store(o, a);
    v128.store(o + 16, b);
    v128.store(o + 32, c);
    v128.store(o + 48, d);
  }
  for (; i < i1; i++) {
    const o = out + (<usize>i << 3);
    let s = load<f64>(o);
    let p = x + (<usize>i << 2);
    for (let f = 0; f < depth; f++) {
      s += <f64>load<f32>(p);
      p += stride;
    }
    store<f64>(o, s);
  }
}

/**
 * Block moments, then Chan et al.'s pairwise combination with running values:
 * the block's per-element sum Sb and M2b = Σ (x − Sb/depth)² (two passes over
 * the block, which stays in cache), combined into (S, M2) holding `na` frames:
 * M2 += M2b + na·depth/(na+depth) · (S/na − Sb/depth)², S += Sb.
 */
export function momentsF32(i0: i32, i1: i32, S: usize, M2: usize, x: usize, n: i32, depth: i32, na: f64): void {
  const stride = <usize>n << 2;
  const nb = <f64>depth;
  const inv = 1.0 / nb;
  const f = na > 0 ? (na * nb) / (na + nb) : 0.0;
  const invA = na > 0 ? 1.0 / na : 0.0;
  const vinv = f64x2.splat(inv);
  const vf = f64x2.splat(f);
  const vinvA = f64x2.splat(invA);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const base = x + (<usize>i << 2);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let p = base;
    for (let k = 0; k < depth; k++) {
      const v = v128.load(p);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      p += stride;
    }
    const m0 = f64x2.mul(s0, vinv);
    const m1 = f64x2.mul(s1, vinv);
    let q0 = f64x2.splat(0);
    let q1 = f64x2.splat(0);
    p = base;
    for (let k = 0; k < depth; k++) {
      const v = v128.load(p);
      const r0 = f64x2.sub(f64x2.promote_low_f32x4(v), m0);
      const r1 = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), m1);
      q0 = f64x2.add(q0, f64x2.mul(r0, r0));
      q1 = f64x2.add(q1, f64x2.mul(r1, r1));
      p += stride;
    }
    const so = S + (<usize>i << 3);
    const mo = M2 + (<usize>i << 3);
    if (na > 0) {
      const d0 = f64x2.sub(f64x2.mul(v128.load(so), vinvA), m0);
      const d1 = f64x2.sub(f64x2.mul(v128.load(so + 16), vinvA), m1);
      v128.store(mo, f64x2.add(v128.load(mo), f64x2.add(q0, f64x2.mul(vf, f64x2.mul(d0, d0)))));
      v128.store(mo + 16, f64x2.add(v128.load(mo + 16), f64x2.add(q1, f64x2.mul(vf, f64x2.mul(d1, d1)))));
      v128.store(so, f64x2.add(v128.load(so), s0));
      v128.store(so + 16, f64x2.add(v128.load(so + 16), s1));
    } else {
      v128.store(mo, q0);
      v128.store(mo + 16, q1);
      v128.store(so, s0);
      v128.store(so + 16, s1);
    }
  }
  for (; i < i1; i++) {
    const base = x + (<usize>i << 2);
    let s = 0.0;
    let p = base;
    for (let k = 0; k < depth; k++) {
      s += <f64>load<f32>(p);
      p += stride;
    }
    const m = s * inv;
    let q = 0.0;
    p = base;
    for (let k = 0; k < depth; k++) {
      const r = <f64>load<f32>(p) - m;
      q += r * r;
      p += stride;
    }
    const so = S + (<usize>i << 3);
    const mo = M2 + (<usize>i << 3);
    if (na > 0) {
      const d = load<f64>(so) * invA - m;
      store<f64>(mo, load<f64>(mo) + q + f * d * d);
      store<f64>(so, load<f64>(so) + s);
    } else {
      store<f64>(mo, q);
      store<f64>(so, s);
    }
  }
}
