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
  gUB: usize, gUT: usize, gVB: usize, gVT: usize, Nz: i32, nx: i32, ny: i32, nxc: i32, grad: i32,
): void {
  const plane = nx * ny;
  const h = 0.5 / ldd(cst, 0);
  const p = ldd(cst, 1), s = ldd(cst, 2), thr = ldd(cst, 3), rg2 = ldd(cst, 4), rw2 = ldd(cst, 5);
  const lo = ldd(cst, 6), hi = ldd(cst, 7), rhog = ldd(cst, 8);
  const slide = ldd(cst, 9) != 0;
  const frac = cst + 80;
  const ep = (p - 2) / 2;
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
    for (let ci = 0; ci < nxc; ci++) {
      const i1 = ci + 1 < nx ? ci + 1 : 0;
      const a = r0 + ci, b = r0 + i1, c = r1 + ci, d = r1 + i1;
      const cr = cor + (<usize>(cj * nxc + ci) * 72);
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
      if (load<f64>(cr, 64) == 0) continue;
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
    }
    store<f64>(Jrow + (<usize>cj << 3), J);
  }
}

// @ts-ignore: decorator
@inline function scatter(gB: usize, gT: usize, o: i32, a: i32, b: i32, c: i32, d: i32, X: f64, Y: f64, M: f64): void {
  add(gB, o + a, M - X - Y); add(gB, o + b, M + X - Y);
  add(gT, o + c, M - X + Y); add(gT, o + d, M + X + Y);
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
