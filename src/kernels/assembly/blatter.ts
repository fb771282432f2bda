// Blatter–Pattyn energy + adjoint in one pass over the corners of the
// staggered grid (sim face, src/sim/physics/bp). The loop of the TypeScript
// reference bp/energy-ts.ts, streamed over levels: per corner, level k+1's
// horizontal differences and 4-cell means are formed while level k's are
// held, layer k's terms and adjoint computed, and level k's adjoint scattered
// into its 4 cells at once. f32 storage, f64 arithmetic and accumulation.
//
// Race-free threading without locks: corner row cj adds its adjoint to the
// cells of row cj in the "bottom" buffers (gUB, gVB) and to those of row
// cj+1 in the "top" buffers (gUT, gVT); each cell row of each buffer is
// written by exactly one corner row, so row bands run in parallel and the
// result does not depend on the band split. bpGradient sums the two.
//
// Kernel ABI as in stencil.ts (rows [j0, j1), byte pointers, no static data).
//
// Corner record (9 f64): stag4 thk, stag4 B, stag4 c, ∂b/∂x, ∂b/∂y, ∂s/∂x,
// ∂s/∂y, hz (IGM's 0.01 factor on ∂/∂z where stag4 c = 0), ice (1/0).
// Constants (f64): 0 dx, 1 p, 2 s, 3 thr, 4 regu_glen², 5 regu_weertman²,
// 6 min_sr², 7 max_sr², 8 ρg·1e-6, 9 slide (1/0), then Nz−1 layer fractions.

// @ts-ignore: decorator
@inline function ld(p: usize, k: i32): f64 {
  return <f64>load<f32>(p + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function add(p: usize, k: i32, v: f64): void {
  const q = p + (<usize>k << 2);
  store<f32>(q, <f32>(<f64>load<f32>(q) + v));
}

// @ts-ignore: decorator
@inline function ldd(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

/**
 * Energy of corner rows [j0, j1) into Jrow[cj] (f64, the row's sum), and when
 * grad ≠ 0 their adjoint into gUB/gUT/gVB/gVT (each Nz·ny·nx f32; the rows a
 * corner row owns are zeroed first). m0: per-cell factor on level 0 (0 where
 * the bed velocity is imposed). U, V: [k][j][i].
 */
export function bpEnergy(
  j0: i32, j1: i32, U: usize, V: usize, m0: usize, cor: usize, cst: usize, Jrow: usize,
  gUB: usize, gUT: usize, gVB: usize, gVT: usize, Nz: i32, nx: i32, ny: i32, nxc: i32, grad: i32, cor4: usize, n: i32, simd: i32,
): void {
  const plane = nx * ny;
  for (let cj = j0; cj < j1; cj++) {
    const r0 = cj * nx;
    const r1 = ((cj + 1) % ny) * nx;
    if (grad) {
      for (let L = 0; L < Nz; L++) {
        const o0 = <usize>(L * plane + r0) << 2, o1 = <usize>(L * plane + r1) << 2;
        memory.fill(gUB + o0, 0, <usize>nx << 2); memory.fill(gVB + o0, 0, <usize>nx << 2);
        memory.fill(gUT + o1, 0, <usize>nx << 2); memory.fill(gVT + o1, 0, <usize>nx << 2);
      }
    }
    let J: f64 = 0;
    let ci = 0;
    // 4 corners at a time in f32x4 while their east cells stay in the row
    if (simd) for (; ci + 4 < nx && ci + 4 <= nxc; ci += 4) J += group4(U, V, m0, cor4, cst, gUB, gUT, gVB, gVT, Nz, plane, n, r0, r1, cj * nxc + ci, ci, grad);
    for (; ci < nxc; ci++) J += corner(U, V, m0, cor, cst, gUB, gUT, gVB, gVT, Nz, plane, nx, r0, r1, cj * nxc + ci, ci, grad);
    store<f64>(Jrow + (<usize>cj << 3), J);
  }
}


/** One corner in f64 (the TypeScript reference's arithmetic): its energy; adjoint added when grad. */
function corner(
  U: usize, V: usize, m0: usize, cor: usize, cst: usize, gUB: usize, gUT: usize, gVB: usize, gVT: usize,
  Nz: i32, plane: i32, nx: i32, r0: i32, r1: i32, kc: i32, ci: i32, grad: i32,
): f64 {
  const h = 0.5 / ldd(cst, 0);
  const p = ldd(cst, 1), s = ldd(cst, 2), thr = ldd(cst, 3), rg2 = ldd(cst, 4), rw2 = ldd(cst, 5);
  const lo = ldd(cst, 6), hi = ldd(cst, 7), rhog = ldd(cst, 8);
  const slide = ldd(cst, 9) != 0;
  const frac = cst + 80;
  const ep = (p - 2) / 2;
  let J: f64 = 0;
  const i1 = ci + 1 < nx ? ci + 1 : 0;
  const a = r0 + ci, b = r0 + i1, c = r1 + ci, d = r1 + i1;
  const cr = cor + <usize>kc * 72;
  const bx = load<f64>(cr, 24), by = load<f64>(cr, 32);
  const ma = ld(m0, a), mb = ld(m0, b), mc = ld(m0, c), md = ld(m0, d);
  let ua = ld(U, a) * ma, ub = ld(U, b) * mb, uc = ld(U, c) * mc, ud = ld(U, d) * md;
  let va = ld(V, a) * ma, vb = ld(V, b) * mb, vc = ld(V, c) * mc, vd = ld(V, d) * md;
  if (slide) {
    const t = ((ua + ub + uc + ud) * bx + (va + vb + vc + vd) * by) * 0.25;
    const N = (ua * ua + ub * ub + uc * uc + ud * ud + va * va + vb * vb + vc * vc + vd * vd) * 0.25 + rw2 + t * t;
    const Ns = Math.pow(N, s * 0.5);
    const Cc = load<f64>(cr, 16);
    J += (Cc * Ns) / s;
    if (grad) {
      const gN = (0.25 * Cc * Ns) / N; // ½ · dC/dN
      const tx = t * bx, ty = t * by;
      add(gUB, a, gN * (ua + tx)); add(gUB, b, gN * (ub + tx)); add(gUT, c, gN * (uc + tx)); add(gUT, d, gN * (ud + tx));
      add(gVB, a, gN * (va + ty)); add(gVB, b, gN * (vb + ty)); add(gVT, c, gN * (vc + ty)); add(gVT, d, gN * (vd + ty));
    }
  }
  if (load<f64>(cr, 64) == 0) return J;
  const H = load<f64>(cr, 0), Bc = load<f64>(cr, 8), sx = load<f64>(cr, 40), sy = load<f64>(cr, 48), hz = load<f64>(cr, 56);
  // level k values (start: the bed)
  let ux0 = (ub - ua + ud - uc) * h, uy0 = (uc - ua + ud - ub) * h, um0 = (ua + ub + uc + ud) * 0.25;
  let vx0 = (vb - va + vd - vc) * h, vy0 = (vc - va + vd - vb) * h, vm0 = (va + vb + vc + vd) * 0.25;
  // level k adjoints accumulated so far
  let uxb0: f64 = 0, uyb0: f64 = 0, umb0: f64 = 0, vxb0: f64 = 0, vyb0: f64 = 0, vmb0: f64 = 0;
  for (let k = 0; k < Nz - 1; k++) {
    const o = (k + 1) * plane;
    ua = ld(U, o + a); ub = ld(U, o + b); uc = ld(U, o + c); ud = ld(U, o + d);
    va = ld(V, o + a); vb = ld(V, o + b); vc = ld(V, o + c); vd = ld(V, o + d);
    const ux1 = (ub - ua + ud - uc) * h, uy1 = (uc - ua + ud - ub) * h, um1 = (ua + ub + uc + ud) * 0.25;
    const vx1 = (vb - va + vd - vc) * h, vy1 = (vc - va + vd - vb) * h, vm1 = (va + vb + vc + vd) * 0.25;
    const dz = H * ldd(frac, k);
    const fz = hz / (dz > thr ? dz : thr);
    const dUdz = (um1 - um0) * fz;
    const dVdz = (vm1 - vm0) * fz;
    const exx = 0.5 * (ux0 + ux1) - dUdz * bx;
    const uyc = 0.5 * (uy0 + uy1) - dUdz * by;
    const vxc = 0.5 * (vx0 + vx1) - dVdz * bx;
    const eyy = 0.5 * (vy0 + vy1) - dVdz * by;
    const exy = 0.5 * (vxc + uyc);
    const exz = 0.5 * dUdz, eyz = 0.5 * dVdz;
    const ezz = exx + eyy;
    const sr = 0.5 * (exx * exx + eyy * eyy + ezz * ezz) + exy * exy + exz * exz + eyz * eyz;
    const q = (sr < lo ? lo : sr > hi ? hi : sr) + rg2;
    const qp = Math.pow(q, ep);
    J += (Bc * dz * qp * sr) / p + rhog * dz * (0.5 * (um0 + um1) * sx + 0.5 * (vm0 + vm1) * sy);
    let uxb1: f64 = 0, uyb1: f64 = 0, umb1: f64 = 0, vxb1: f64 = 0, vyb1: f64 = 0, vmb1: f64 = 0;
    if (grad) {
      const gs = ((Bc * dz) / p) * (qp + (sr >= lo && sr <= hi ? (sr * ep * qp) / q : 0));
      const exxb = gs * (2 * exx + eyy);
      const eyyb = gs * (2 * eyy + exx);
      const exyb = gs * exy;
      const dUdzb = gs * exz - bx * exxb - by * exyb;
      const dVdzb = gs * eyz - bx * exyb - by * eyyb;
      const gg = 0.5 * rhog * dz;
      uxb0 += 0.5 * exxb; uxb1 = 0.5 * exxb;
      uyb0 += 0.5 * exyb; uyb1 = 0.5 * exyb;
      vxb0 += 0.5 * exyb; vxb1 = 0.5 * exyb;
      vyb0 += 0.5 * eyyb; vyb1 = 0.5 * eyyb;
      umb0 += gg * sx - fz * dUdzb; umb1 = fz * dUdzb + gg * sx;
      vmb0 += gg * sy - fz * dVdzb; vmb1 = fz * dVdzb + gg * sy;
      scatter(gUB, gUT, k * plane, a, b, c, d, uxb0 * h, uyb0 * h, umb0 * 0.25);
      scatter(gVB, gVT, k * plane, a, b, c, d, vxb0 * h, vyb0 * h, vmb0 * 0.25);
    }
    ux0 = ux1; uy0 = uy1; um0 = um1; vx0 = vx1; vy0 = vy1; vm0 = vm1;
    uxb0 = uxb1; uyb0 = uyb1; umb0 = umb1; vxb0 = vxb1; vyb0 = vyb1; vmb0 = vmb1;
  }
  if (grad) {
    const o = (Nz - 1) * plane;
    scatter(gUB, gUT, o, a, b, c, d, uxb0 * h, uyb0 * h, umb0 * 0.25);
    scatter(gVB, gVT, o, a, b, c, d, vxb0 * h, vyb0 * h, vmb0 * 0.25);
  }
  return J;
}

// @ts-ignore: decorator
@inline function scatter(gB: usize, gT: usize, o: i32, a: i32, b: i32, c: i32, d: i32, X: f64, Y: f64, M: f64): void {
  add(gB, o + a, M - X - Y); add(gB, o + b, M + X - Y);
  add(gT, o + c, M - X + Y); add(gT, o + d, M + X + Y);
}

// ---- f32x4: 4 corners (columns ci … ci+3) at once ----

// @ts-ignore: decorator
@inline function L4(p: usize, k: i32): v128 {
  return v128.load(p + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function add4(p: usize, k: i32, v: v128): void {
  const q = p + (<usize>k << 2);
  v128.store(q, f32x4.add(v128.load(q), v));
}

// @ts-ignore: decorator
@inline function sp(x: f64): v128 {
  return f32x4.splat(<f32>x);
}

/** log2 of positive normal f32 lanes: exponent + odd series in t = (m−1)/(m+1), m ∈ [√½, √2); |error| < 1e-7. */
// @ts-ignore: decorator
@inline function log2v(x: v128): v128 {
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.4142135));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // big lanes are −1
  const t = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const t2 = f32x4.mul(t, t);
  const c1: f64 = 2.8853900817779268; // 2 / ln 2
  let r = sp(c1 / 9);
  r = f32x4.add(sp(c1 / 7), f32x4.mul(t2, r));
  r = f32x4.add(sp(c1 / 5), f32x4.mul(t2, r));
  r = f32x4.add(sp(c1 / 3), f32x4.mul(t2, r));
  r = f32x4.add(sp(c1), f32x4.mul(t2, r));
  return f32x4.add(f32x4.convert_i32x4_s(e), f32x4.mul(t, r));
}

/** 2^y for f32 lanes (y clamped to [−126, 127]): 2^round(y) · Taylor series of e^(f ln 2), |f| ≤ ½; relative error < 2e-7. */
// @ts-ignore: decorator
@inline function exp2v(y0: v128): v128 {
  const y = f32x4.max(f32x4.min(y0, f32x4.splat(127)), f32x4.splat(-126));
  const i = f32x4.nearest(y);
  const z = f32x4.mul(f32x4.sub(y, i), f32x4.splat(0.6931471805599453));
  let r = f32x4.add(f32x4.splat(1), f32x4.mul(z, f32x4.splat(1.0 / 7)));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.mul(z, f32x4.splat(1.0 / 6)), r));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.mul(z, f32x4.splat(1.0 / 5)), r));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.mul(z, f32x4.splat(1.0 / 4)), r));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.mul(z, f32x4.splat(1.0 / 3)), r));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.mul(z, f32x4.splat(0.5)), r));
  r = f32x4.add(f32x4.splat(1), f32x4.mul(z, r));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(i), i32x4.splat(127)), 23);
  return f32x4.mul(r, scale);
}

// @ts-ignore: decorator
@inline function powv(x: v128, e: f64): v128 {
  return exp2v(f32x4.mul(log2v(f32x4.max(x, f32x4.splat(1.2e-38))), sp(e)));
}

// @ts-ignore: decorator
@inline function scatter4(gB: usize, gT: usize, o: i32, a: i32, c: i32, X: v128, Y: v128, M: v128): void {
  add4(gB, o + a, f32x4.sub(f32x4.sub(M, X), Y));
  add4(gB, o + a + 1, f32x4.sub(f32x4.add(M, X), Y));
  add4(gT, o + c, f32x4.add(f32x4.sub(M, X), Y));
  add4(gT, o + c + 1, f32x4.add(f32x4.add(M, X), Y));
}

// @ts-ignore: decorator
@inline function hsum64(v: v128): f64 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * Corners kc … kc+3 (columns ci … ci+3, east cells ci+1 … ci+4 in the row),
 * the arithmetic of `corner` in f32x4; cell differences are formed before
 * they are averaged (∂/∂z from per-cell level differences) to keep f32
 * cancellation small. Lanes without ice keep only their sliding term.
 * cor4: corner fields as f32 planes of n values, in the record order.
 */
function group4(
  U: usize, V: usize, m0: usize, cor4: usize, cst: usize, gUB: usize, gUT: usize, gVB: usize, gVT: usize,
  Nz: i32, plane: i32, n: i32, r0: i32, r1: i32, kc: i32, ci: i32, grad: i32,
): f64 {
  const h = sp(0.5 / ldd(cst, 0));
  const p = ldd(cst, 1), s = ldd(cst, 2);
  const thr = sp(ldd(cst, 3)), rg2 = sp(ldd(cst, 4)), rw2 = sp(ldd(cst, 5));
  const lo = sp(ldd(cst, 6)), hi = sp(ldd(cst, 7)), rhog = sp(ldd(cst, 8));
  const slide = ldd(cst, 9) != 0;
  const frac = cst + 80;
  const ep = (p - 2) / 2;
  const q4 = sp(0.25), half = sp(0.5), two = sp(2);
  const a = r0 + ci, c = r1 + ci;
  const bx = L4(cor4, 3 * n + kc), by = L4(cor4, 4 * n + kc);
  const ma = L4(m0, a), mb = L4(m0, a + 1), mc = L4(m0, c), md = L4(m0, c + 1);
  let ua = f32x4.mul(L4(U, a), ma), ub = f32x4.mul(L4(U, a + 1), mb), uc = f32x4.mul(L4(U, c), mc), ud = f32x4.mul(L4(U, c + 1), md);
  let va = f32x4.mul(L4(V, a), ma), vb = f32x4.mul(L4(V, a + 1), mb), vc = f32x4.mul(L4(V, c), mc), vd = f32x4.mul(L4(V, c + 1), md);
  let Jv = f32x4.splat(0);
  if (slide) {
    const um = f32x4.add(f32x4.add(ua, ub), f32x4.add(uc, ud)), vm = f32x4.add(f32x4.add(va, vb), f32x4.add(vc, vd));
    const t = f32x4.mul(f32x4.add(f32x4.mul(um, bx), f32x4.mul(vm, by)), q4);
    let sq = f32x4.add(f32x4.add(f32x4.mul(ua, ua), f32x4.mul(ub, ub)), f32x4.add(f32x4.mul(uc, uc), f32x4.mul(ud, ud)));
    sq = f32x4.add(sq, f32x4.add(f32x4.add(f32x4.mul(va, va), f32x4.mul(vb, vb)), f32x4.add(f32x4.mul(vc, vc), f32x4.mul(vd, vd))));
    const N = f32x4.max(f32x4.add(f32x4.add(f32x4.mul(sq, q4), rw2), f32x4.mul(t, t)), f32x4.splat(1.2e-38));
    const Ns = powv(N, s * 0.5);
    const Cc = L4(cor4, 2 * n + kc);
    Jv = f32x4.div(f32x4.mul(Cc, Ns), sp(s));
    if (grad) {
      const gN = f32x4.div(f32x4.mul(f32x4.mul(q4, Cc), Ns), N);
      const tx = f32x4.mul(t, bx), ty = f32x4.mul(t, by);
      add4(gUB, a, f32x4.mul(gN, f32x4.add(ua, tx))); add4(gUB, a + 1, f32x4.mul(gN, f32x4.add(ub, tx)));
      add4(gUT, c, f32x4.mul(gN, f32x4.add(uc, tx))); add4(gUT, c + 1, f32x4.mul(gN, f32x4.add(ud, tx)));
      add4(gVB, a, f32x4.mul(gN, f32x4.add(va, ty))); add4(gVB, a + 1, f32x4.mul(gN, f32x4.add(vb, ty)));
      add4(gVT, c, f32x4.mul(gN, f32x4.add(vc, ty))); add4(gVT, c + 1, f32x4.mul(gN, f32x4.add(vd, ty)));
    }
  }
  const ice = f32x4.gt(L4(cor4, 8 * n + kc), half);
  if (!v128.any_true(ice)) return hsum64(Jv);
  const H = L4(cor4, 0 * n + kc), Bp = f32x4.div(L4(cor4, 1 * n + kc), sp(p)), sx = L4(cor4, 5 * n + kc), sy = L4(cor4, 6 * n + kc), hz = L4(cor4, 7 * n + kc);
  // level k: x-, y-differences (× h) and 4-cell means
  let ux0 = f32x4.mul(f32x4.add(f32x4.sub(ub, ua), f32x4.sub(ud, uc)), h), uy0 = f32x4.mul(f32x4.add(f32x4.sub(uc, ua), f32x4.sub(ud, ub)), h);
  let vx0 = f32x4.mul(f32x4.add(f32x4.sub(vb, va), f32x4.sub(vd, vc)), h), vy0 = f32x4.mul(f32x4.add(f32x4.sub(vc, va), f32x4.sub(vd, vb)), h);
  let uxb0 = f32x4.splat(0), uyb0 = uxb0, umb0 = uxb0, vxb0 = uxb0, vyb0 = uxb0, vmb0 = uxb0;
  for (let k = 0; k < Nz - 1; k++) {
    const o = (k + 1) * plane;
    const Ua = L4(U, o + a), Ub = L4(U, o + a + 1), Uc = L4(U, o + c), Ud = L4(U, o + c + 1);
    const Va = L4(V, o + a), Vb = L4(V, o + a + 1), Vc = L4(V, o + c), Vd = L4(V, o + c + 1);
    const ux1 = f32x4.mul(f32x4.add(f32x4.sub(Ub, Ua), f32x4.sub(Ud, Uc)), h), uy1 = f32x4.mul(f32x4.add(f32x4.sub(Uc, Ua), f32x4.sub(Ud, Ub)), h);
    const vx1 = f32x4.mul(f32x4.add(f32x4.sub(Vb, Va), f32x4.sub(Vd, Vc)), h), vy1 = f32x4.mul(f32x4.add(f32x4.sub(Vc, Va), f32x4.sub(Vd, Vb)), h);
    const dz = f32x4.mul(H, sp(ldd(frac, k)));
    const fz = f32x4.div(hz, f32x4.max(dz, thr));
    const du = f32x4.add(f32x4.add(f32x4.sub(Ua, ua), f32x4.sub(Ub, ub)), f32x4.add(f32x4.sub(Uc, uc), f32x4.sub(Ud, ud)));
    const dv = f32x4.add(f32x4.add(f32x4.sub(Va, va), f32x4.sub(Vb, vb)), f32x4.add(f32x4.sub(Vc, vc), f32x4.sub(Vd, vd)));
    const dUdz = f32x4.mul(f32x4.mul(du, q4), fz);
    const dVdz = f32x4.mul(f32x4.mul(dv, q4), fz);
    const exx = f32x4.sub(f32x4.mul(half, f32x4.add(ux0, ux1)), f32x4.mul(dUdz, bx));
    const uyc = f32x4.sub(f32x4.mul(half, f32x4.add(uy0, uy1)), f32x4.mul(dUdz, by));
    const vxc = f32x4.sub(f32x4.mul(half, f32x4.add(vx0, vx1)), f32x4.mul(dVdz, bx));
    const eyy = f32x4.sub(f32x4.mul(half, f32x4.add(vy0, vy1)), f32x4.mul(dVdz, by));
    const exy = f32x4.mul(half, f32x4.add(vxc, uyc));
    const exz = f32x4.mul(half, dUdz), eyz = f32x4.mul(half, dVdz);
    const ezz = f32x4.add(exx, eyy);
    let sr = f32x4.mul(half, f32x4.add(f32x4.add(f32x4.mul(exx, exx), f32x4.mul(eyy, eyy)), f32x4.mul(ezz, ezz)));
    sr = f32x4.add(sr, f32x4.add(f32x4.add(f32x4.mul(exy, exy), f32x4.mul(exz, exz)), f32x4.mul(eyz, eyz)));
    const q = f32x4.add(f32x4.min(f32x4.max(sr, lo), hi), rg2);
    const qp = powv(q, ep);
    // gravity: 4-cell means at mid-layer, from the 8 cells
    const su = f32x4.mul(sp(0.125), f32x4.add(f32x4.add(f32x4.add(ua, ub), f32x4.add(uc, ud)), f32x4.add(f32x4.add(Ua, Ub), f32x4.add(Uc, Ud))));
    const sv = f32x4.mul(sp(0.125), f32x4.add(f32x4.add(f32x4.add(va, vb), f32x4.add(vc, vd)), f32x4.add(f32x4.add(Va, Vb), f32x4.add(Vc, Vd))));
    const layer = f32x4.add(f32x4.mul(f32x4.mul(f32x4.mul(Bp, dz), qp), sr), f32x4.mul(f32x4.mul(rhog, dz), f32x4.add(f32x4.mul(su, sx), f32x4.mul(sv, sy))));
    Jv = f32x4.add(Jv, v128.and(layer, ice));
    let uxb1 = f32x4.splat(0), uyb1 = uxb1, umb1 = uxb1, vxb1 = uxb1, vyb1 = uxb1, vmb1 = uxb1;
    if (grad) {
      const inRange = v128.and(f32x4.ge(sr, lo), f32x4.le(sr, hi));
      const extra = v128.and(f32x4.div(f32x4.mul(f32x4.mul(sr, sp(ep)), qp), q), inRange);
      const gs = v128.and(f32x4.mul(f32x4.mul(Bp, dz), f32x4.add(qp, extra)), ice);
      const exxb = f32x4.mul(gs, f32x4.add(f32x4.mul(two, exx), eyy));
      const eyyb = f32x4.mul(gs, f32x4.add(f32x4.mul(two, eyy), exx));
      const exyb = f32x4.mul(gs, exy);
      const dUdzb = f32x4.sub(f32x4.sub(f32x4.mul(gs, exz), f32x4.mul(bx, exxb)), f32x4.mul(by, exyb));
      const dVdzb = f32x4.sub(f32x4.sub(f32x4.mul(gs, eyz), f32x4.mul(bx, exyb)), f32x4.mul(by, eyyb));
      const gg = v128.and(f32x4.mul(f32x4.mul(half, rhog), dz), ice);
      const hx = f32x4.mul(half, exxb), hy = f32x4.mul(half, exyb), hv = f32x4.mul(half, eyyb);
      uxb0 = f32x4.add(uxb0, hx); uxb1 = hx;
      uyb0 = f32x4.add(uyb0, hy); uyb1 = hy;
      vxb0 = f32x4.add(vxb0, hy); vxb1 = hy;
      vyb0 = f32x4.add(vyb0, hv); vyb1 = hv;
      const gx = f32x4.mul(gg, sx), gy = f32x4.mul(gg, sy);
      const zu = f32x4.mul(fz, dUdzb), zv = f32x4.mul(fz, dVdzb);
      umb0 = f32x4.add(umb0, f32x4.sub(gx, zu)); umb1 = f32x4.add(zu, gx);
      vmb0 = f32x4.add(vmb0, f32x4.sub(gy, zv)); vmb1 = f32x4.add(zv, gy);
      scatter4(gUB, gUT, k * plane, a, c, f32x4.mul(uxb0, h), f32x4.mul(uyb0, h), f32x4.mul(umb0, q4));
      scatter4(gVB, gVT, k * plane, a, c, f32x4.mul(vxb0, h), f32x4.mul(vyb0, h), f32x4.mul(vmb0, q4));
    }
    ua = Ua; ub = Ub; uc = Uc; ud = Ud; va = Va; vb = Vb; vc = Vc; vd = Vd;
    ux0 = ux1; uy0 = uy1; vx0 = vx1; vy0 = vy1;
    uxb0 = uxb1; uyb0 = uyb1; umb0 = umb1; vxb0 = vxb1; vyb0 = vyb1; vmb0 = vmb1;
  }
  if (grad) {
    const o = (Nz - 1) * plane;
    scatter4(gUB, gUT, o, a, c, f32x4.mul(uxb0, h), f32x4.mul(uyb0, h), f32x4.mul(umb0, q4));
    scatter4(gVB, gVT, o, a, c, f32x4.mul(vxb0, h), f32x4.mul(vyb0, h), f32x4.mul(vmb0, q4));
  }
  return hsum64(Jv);
}

/**
 * g = w · free · (bottom + top) for cell rows [j0, j1) of every level: rows
 * j < nyc take the bottom buffers, rows j ≥ 1 (all when periodic) the top
 * ones. free: ice (f32 1/0 per cell) on levels ≥ 1, m0 on level 0.
 */
export function bpGradient(
  j0: i32, j1: i32, gUB: usize, gUT: usize, gVB: usize, gVT: usize, ice: usize, m0: usize,
  gU: usize, gV: usize, Nz: i32, nx: i32, ny: i32, nyc: i32, periodic: i32, w: f32,
): void {
  const plane = nx * ny;
  const vw = f32x4.splat(w);
  const zero = f32x4.splat(0);
  for (let L = 0; L < Nz; L++) {
    const mask = L == 0 ? m0 : ice;
    for (let j = j0; j < j1; j++) {
      const useB = j < nyc, useT = periodic != 0 || j >= 1;
      const r = <usize>(L * plane + j * nx) << 2;
      const rm = <usize>(j * nx) << 2;
      let i = 0;
      for (; i + 4 <= nx; i += 4) {
        const q = r + (<usize>i << 2);
        const m = f32x4.mul(v128.load(mask + rm + (<usize>i << 2)), vw);
        const u = f32x4.add(useB ? v128.load(gUB + q) : zero, useT ? v128.load(gUT + q) : zero);
        const v = f32x4.add(useB ? v128.load(gVB + q) : zero, useT ? v128.load(gVT + q) : zero);
        v128.store(gU + q, f32x4.mul(u, m));
        v128.store(gV + q, f32x4.mul(v, m));
      }
      for (; i < nx; i++) {
        const q = r + (<usize>i << 2);
        const m = load<f32>(mask + rm + (<usize>i << 2)) * w;
        store<f32>(gU + q, ((useB ? load<f32>(gUB + q) : 0) + (useT ? load<f32>(gUT + q) : 0)) * m);
        store<f32>(gV + q, ((useB ? load<f32>(gVB + q) : 0) + (useT ? load<f32>(gVT + q) : 0)) * m);
      }
    }
  }
}
