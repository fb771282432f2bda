// Glacier step kernels (sim face): smb_simple, SIA face velocities (n = m = 3,
// scalar A and c), centre velocities and the slope-limited thickness transport
// (pass 1). Each is the loop of its TypeScript twin in src/sim/physics moved
// one-to-one: f32 storage, f64 arithmetic (same operations, same order, so the
// two paths agree to f32 round-off). Kernel ABI as in stencil.ts: the first two
// arguments select rows [j0, j1) (transport: bands [b0, b1)), arrays are byte
// pointers into the shared memory (0 = absent), no static data, so row bands
// can run on worker threads over the same arrays.

// @ts-ignore: decorator
@inline function ld(p: usize, k: i32): f64 {
  return <f64>load<f32>(p + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function st(p: usize, k: i32, v: f64): void {
  store<f32>(p + (<usize>k << 2), <f32>v);
}

// @ts-ignore: decorator
@inline function ldd(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline function std(p: usize, k: i32, v: f64): void {
  store<f64>(p + (<usize>k << 3), v);
}

// @ts-ignore: decorator
@inline function hmax(v: v128): f64 {
  // NaN-propagating horizontal max (f32x4.max propagates NaN)
  const m = f32x4.max(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const n = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return <f64>f32x4.extract_lane(n, 0);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** smb (m a⁻¹) from usurf (m) for rows [j0, j1): IGM smb_simple; thk / icemask optional (0). */
export function smbSimple(j0: i32, j1: i32, usurf: usize, thk: usize, icemask: usize, smb: usize, nx: i32, gradabl: f64, gradacc: f64, ela: f64, accmax: f64): void {
  const k1 = j1 * nx;
  let k = j0 * nx;
  // f64x2, the same operations as the scalar loop below
  const zero = f64x2.splat(0);
  const vela = f64x2.splat(ela);
  const vabl = f64x2.splat(gradabl);
  const vacc = f64x2.splat(gradacc);
  const vmax = f64x2.splat(accmax);
  const vmin = f64x2.splat(-100);
  const ten = f64x2.splat(-10);
  for (; k + 2 <= k1; k += 2) {
    const d = f64x2.sub(ld2(usurf, k), vela);
    let sv = f64x2.mul(d, v128.bitselect(vabl, vacc, f64x2.lt(d, zero)));
    sv = v128.bitselect(vmax, sv, f64x2.gt(sv, vmax));
    sv = v128.bitselect(vmin, sv, f64x2.lt(sv, vmin));
    if (icemask != 0) sv = v128.bitselect(ten, sv, v128.and(f64x2.gt(sv, zero), v128.not(f64x2.gt(ld2(icemask, k), f64x2.splat(0.5)))));
    if (thk != 0) sv = v128.bitselect(zero, sv, v128.and(f64x2.lt(sv, zero), v128.not(f64x2.gt(ld2(thk, k), zero))));
    st2(smb, k, sv);
  }
  for (; k < k1; k++) {
    const d = ld(usurf, k) - ela;
    let s = d * (d < 0 ? gradabl : gradacc);
    if (s > accmax) s = accmax;
    if (s < -100) s = -100;
    if (icemask != 0 && s > 0 && !(ld(icemask, k) > 0.5)) s = -10;
    if (thk != 0 && s < 0 && !(ld(thk, k) > 0)) s = 0;
    st(smb, k, s);
  }
}

/**
 * One y-face row: faces between cell rows jj−1 and jj, written to face row
 * `dst` (and `dst2` when ≥ 0). Returns nothing; maxima go to stats slot `srow`.
 */
function yFaces(jj: i32, dst: i32, dst2: i32, thk: usize, us: usize, vy: usize, vyS: usize, nx: i32, idx: f64, idy: f64, kd: f64, rc: f64, stats: usize, srow: i32): void {
  let dmax = ldd(stats, 4 * srow);
  let cmax = ldd(stats, 4 * srow + 1);
  let trap = ldd(stats, 4 * srow + 2);
  const row = jj * nx;
  const rowm = row - nx;
  const w = 0.25 * idx;
  const vkd = f32x4.splat(<f32>kd);
  const vrc = f32x4.splat(<f32>rc);
  const vidy = f32x4.splat(<f32>idy);
  const vw = f32x4.splat(<f32>w);
  const half = f32x4.splat(0.5);
  const c125 = f32x4.splat(1.25);
  let vd = f32x4.splat(0);
  let vc = f32x4.splat(0);
  let vt = f32x4.splat(0);
  let iv = 1;
  for (; iv + 4 <= nx - 1; iv += 4) {
    const pk = us + (<usize>(row + iv) << 2);
    const pm = us + (<usize>(rowm + iv) << 2);
    const stv = f32x4.mul(f32x4.sub(f32x4.add(v128.load(pk + 4), v128.load(pm + 4)), f32x4.add(v128.load(pk - 4), v128.load(pm - 4))), vw);
    const hf = f32x4.mul(half, f32x4.add(v128.load(thk + (<usize>(rowm + iv) << 2)), v128.load(thk + (<usize>(row + iv) << 2))));
    const sn = f32x4.mul(f32x4.sub(v128.load(pk), v128.load(pm)), vidy);
    const g2 = f32x4.add(f32x4.mul(sn, sn), f32x4.mul(stv, stv));
    const h2 = f32x4.mul(hf, hf);
    const t = f32x4.mul(vrc, hf);
    const gd = f32x4.mul(f32x4.mul(vkd, f32x4.mul(h2, h2)), g2);
    const gb = f32x4.mul(f32x4.mul(f32x4.mul(t, t), t), g2);
    const c = f32x4.add(gd, gb);
    const u = f32x4.neg(f32x4.mul(c, sn));
    v128.store(vy + (<usize>(dst * nx + iv) << 2), u);
    if (dst2 >= 0) v128.store(vy + (<usize>(dst2 * nx + iv) << 2), u);
    vt = f32x4.add(vt, f32x4.sub(u, u));
    vd = f32x4.max(vd, f32x4.mul(c, hf));
    vc = f32x4.max(vc, f32x4.abs(u));
    if (vyS != 0) {
      const sv = f32x4.neg(f32x4.mul(f32x4.add(f32x4.mul(c125, gd), gb), sn));
      v128.store(vyS + (<usize>(dst * nx + iv) << 2), sv);
      if (dst2 >= 0) v128.store(vyS + (<usize>(dst2 * nx + iv) << 2), sv);
    }
  }
  const hd = hmax(vd);
  const hc = hmax(vc);
  dmax = hd > dmax || hd != hd ? hd : dmax;
  cmax = hc > cmax || hc != hc ? hc : cmax;
  trap += hsum(vt);
  for (let i = 0; i < nx; i++) {
    if (i == 1) i = iv; // [1, iv) done above
    const k = row + i;
    const km = rowm + i;
    let stv: f64;
    if (i == 0) stv = (ld(us, k + 1) + ld(us, km + 1) - (ld(us, k) + ld(us, km))) * (0.5 * idx);
    else if (i == nx - 1) stv = (ld(us, k) + ld(us, km) - (ld(us, k - 1) + ld(us, km - 1))) * (0.5 * idx);
    else stv = (ld(us, k + 1) + ld(us, km + 1) - (ld(us, k - 1) + ld(us, km - 1))) * w;
    const hf = 0.5 * (ld(thk, km) + ld(thk, k));
    const sn = (ld(us, k) - ld(us, km)) * idy;
    const g2 = sn * sn + stv * stv;
    const h2 = hf * hf;
    const t = rc * hf;
    const gd = kd * (h2 * h2) * g2;
    const gb = t * t * t * g2;
    const c = gd + gb;
    const u = -c * sn;
    const f = dst * nx + i;
    st(vy, f, u);
    if (dst2 >= 0) st(vy, dst2 * nx + i, u);
    trap += u - u;
    const d = c * hf;
    dmax = d > dmax ? d : dmax;
    const au = u < 0 ? -u : u;
    cmax = au > cmax ? au : cmax;
    if (vyS != 0) {
      const s = -(1.25 * gd + gb) * sn;
      st(vyS, f, s);
      if (dst2 >= 0) st(vyS, dst2 * nx + i, s);
    }
  }
  std(stats, 4 * srow, dmax);
  std(stats, 4 * srow + 1, cmax);
  std(stats, 4 * srow + 2, trap);
}

/**
 * SIA face velocities (n = m = 3, scalar A and c, nx, ny ≥ 3) for cell rows
 * [j0, j1): x-faces of row j and the y-faces south of it (row 0 also writes
 * the boundary row 0 = row 1, row ny−1 also row ny = row ny−1), so bands are
 * independent. kd = A·Γ, rc = ρg/c (0: no sliding). stats (f64, 4 per row):
 * max D, max |u|, NaN trap.
 */
export function siaFaces(j0: i32, j1: i32, thk: usize, us: usize, ux: usize, vy: usize, uxS: usize, vyS: usize, stats: usize, nx: i32, ny: i32, idx: f64, idy: f64, kd: f64, rc: f64): void {
  const nx1 = nx + 1;
  for (let j = j0; j < j1; j++) {
    const row = j * nx;
    const rowM = (j > 0 ? j - 1 : 0) * nx;
    const rowP = (j < ny - 1 ? j + 1 : ny - 1) * nx;
    const ixy = j > 0 && j < ny - 1 ? 0.25 * idy : 0.5 * idy;
    const frow = j * nx1;
    let dmax: f64 = 0;
    let cmax: f64 = 0;
    let trap: f64 = 0;
    // f32x4 over 4 faces at a time (f32 arithmetic; see docs/sim-numerics.md)
    const vkd = f32x4.splat(<f32>kd);
    const vrc = f32x4.splat(<f32>rc);
    const vidx = f32x4.splat(<f32>idx);
    const vixy = f32x4.splat(<f32>ixy);
    const half = f32x4.splat(0.5);
    const c125 = f32x4.splat(1.25);
    let vd = f32x4.splat(0);
    let vc = f32x4.splat(0);
    let vt = f32x4.splat(0);
    let i = 1;
    for (; i + 4 <= nx; i += 4) {
      const pk = us + (<usize>(row + i) << 2);
      const tk = thk + (<usize>(row + i) << 2);
      const hf = f32x4.mul(half, f32x4.add(v128.load(tk - 4), v128.load(tk)));
      const sn = f32x4.mul(f32x4.sub(v128.load(pk), v128.load(pk - 4)), vidx);
      const pp = us + (<usize>(rowP + i) << 2);
      const pm = us + (<usize>(rowM + i) << 2);
      const stv = f32x4.mul(f32x4.sub(f32x4.add(v128.load(pp - 4), v128.load(pp)), f32x4.add(v128.load(pm - 4), v128.load(pm))), vixy);
      const g2 = f32x4.add(f32x4.mul(sn, sn), f32x4.mul(stv, stv));
      const h2 = f32x4.mul(hf, hf);
      const t = f32x4.mul(vrc, hf);
      const gd = f32x4.mul(f32x4.mul(vkd, f32x4.mul(h2, h2)), g2);
      const gb = f32x4.mul(f32x4.mul(f32x4.mul(t, t), t), g2);
      const c = f32x4.add(gd, gb);
      const u = f32x4.neg(f32x4.mul(c, sn));
      v128.store(ux + (<usize>(frow + i) << 2), u);
      vt = f32x4.add(vt, f32x4.sub(u, u));
      vd = f32x4.max(vd, f32x4.mul(c, hf));
      vc = f32x4.max(vc, f32x4.abs(u));
      if (uxS != 0) v128.store(uxS + (<usize>(frow + i) << 2), f32x4.neg(f32x4.mul(f32x4.add(f32x4.mul(c125, gd), gb), sn)));
    }
    dmax = hmax(vd);
    cmax = hmax(vc);
    trap = hsum(vt);
    for (; i < nx; i++) {
      const k = row + i;
      const hf = 0.5 * (ld(thk, k - 1) + ld(thk, k));
      const sn = (ld(us, k) - ld(us, k - 1)) * idx;
      const stv = (ld(us, rowP + i - 1) + ld(us, rowP + i) - (ld(us, rowM + i - 1) + ld(us, rowM + i))) * ixy;
      const g2 = sn * sn + stv * stv;
      const h2 = hf * hf;
      const t = rc * hf;
      const gd = kd * (h2 * h2) * g2;
      const gb = t * t * t * g2;
      const c = gd + gb;
      const u = -c * sn;
      st(ux, frow + i, u);
      trap += u - u;
      const d = c * hf;
      dmax = d > dmax ? d : dmax;
      const au = u < 0 ? -u : u;
      cmax = au > cmax ? au : cmax;
      if (uxS != 0) st(uxS, frow + i, -(1.25 * gd + gb) * sn);
    }
    store<f32>(ux + (<usize>frow << 2), load<f32>(ux + (<usize>(frow + 1) << 2)));
    store<f32>(ux + (<usize>(frow + nx) << 2), load<f32>(ux + (<usize>(frow + nx - 1) << 2)));
    if (uxS != 0) {
      store<f32>(uxS + (<usize>frow << 2), load<f32>(uxS + (<usize>(frow + 1) << 2)));
      store<f32>(uxS + (<usize>(frow + nx) << 2), load<f32>(uxS + (<usize>(frow + nx - 1) << 2)));
    }
    std(stats, 4 * j, dmax);
    std(stats, 4 * j + 1, cmax);
    std(stats, 4 * j + 2, trap);
    if (j == 0) yFaces(1, 0, -1, thk, us, vy, vyS, nx, idx, idy, kd, rc, stats, j);
    else if (j == ny - 1) yFaces(j, j, ny, thk, us, vy, vyS, nx, idx, idy, kd, rc, stats, j);
    else yFaces(j, j, -1, thk, us, vy, vyS, nx, idx, idy, kd, rc, stats, j);
  }
}

// @ts-ignore: decorator
@inline function mix(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Centre velocities of rows [j0, j1): mean of the two faces, 0 where thk = 0; mag optional (0). */
export function centres(j0: i32, j1: i32, thk: usize, ux: usize, vy: usize, u: usize, v: usize, mag: usize, nx: i32): void {
  const nx1 = nx + 1;
  for (let j = j0; j < j1; j++) {
    const row = j * nx;
    const frow = j * nx1;
    let i = 0;
    // f32x4: the face means rounded to f32 as below; |u| in f32 from f32 lanes
    for (; i + 4 <= nx; i += 4) {
      const k = row + i;
      const m = f32x4.gt(v128.load(thk + (<usize>k << 2)), f32x4.splat(0));
      const pu = ux + (<usize>(frow + i) << 2);
      const lo = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(pu)), f64x2.promote_low_f32x4(v128.load64_zero(pu + 4)));
      const hi = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(pu + 8)), f64x2.promote_low_f32x4(v128.load64_zero(pu + 12)));
      const pv = vy + (<usize>k << 2);
      const pn = vy + (<usize>(k + nx) << 2);
      const vlo = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(pv)), f64x2.promote_low_f32x4(v128.load64_zero(pn)));
      const vhi = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(pv + 8)), f64x2.promote_low_f32x4(v128.load64_zero(pn + 8)));
      const h = f64x2.splat(0.5);
      const a = v128.and(mix(f64x2.mul(h, lo), f64x2.mul(h, hi)), m);
      const b = v128.and(mix(f64x2.mul(h, vlo), f64x2.mul(h, vhi)), m);
      v128.store(u + (<usize>k << 2), a);
      v128.store(v + (<usize>k << 2), b);
      if (mag != 0) {
        const al = f64x2.promote_low_f32x4(a);
        const bl = f64x2.promote_low_f32x4(b);
        const ah = f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1));
        const bh = f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 2, 3, 0, 1));
        const ml = f64x2.sqrt(f64x2.add(f64x2.mul(al, al), f64x2.mul(bl, bl)));
        const mh = f64x2.sqrt(f64x2.add(f64x2.mul(ah, ah), f64x2.mul(bh, bh)));
        v128.store(mag + (<usize>k << 2), v128.and(mix(ml, mh), m));
      }
    }
    for (; i < nx; i++) {
      const k = row + i;
      if (!(ld(thk, k) > 0)) {
        st(u, k, 0);
        st(v, k, 0);
        if (mag != 0) st(mag, k, 0);
        continue;
      }
      // rounded to f32 first so mag matches speed(u, v) of the stored values
      const a = <f64><f32>(0.5 * (ld(ux, frow + i) + ld(ux, frow + i + 1)));
      const b = <f64><f32>(0.5 * (ld(vy, k) + ld(vy, k + nx)));
      st(u, k, a);
      st(v, k, b);
      if (mag != 0) st(mag, k, Math.sqrt(a * a + b * b));
    }
  }
}

// Limiter codes as transport.ts.
const MINMOD = 1;
const GODUNOV = 2;
const CENTERED = 3;

// @ts-ignore: decorator
@inline function limitedSlope(a: f64, b: f64, lim: i32): f64 {
  if (lim == GODUNOV) return 0;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const s = lim == MINMOD ? Math.min(aa, ab) : Math.max(Math.min(ab, 2 * aa), Math.min(aa, 2 * ab));
  return a * b > 0 ? (a > 0 ? s : -s) : 0;
}

// @ts-ignore: decorator
@inline function upwind(h0: f64, s0: f64, h1: f64, s1: f64, c: f64): f64 {
  const cp = c > 0 ? c : 0;
  const cm = c < 0 ? c : 0;
  return cp * (h0 + 0.5 * (1 - c) * s0) + cm * (h1 - 0.5 * (1 + c) * s1);
}

// @ts-ignore: decorator
@inline function hAt(h: usize, nx: i32, ny: i32, j: i32, i: i32): f64 {
  return j >= 0 && j < ny ? ld(h, j * nx + i) : 0;
}

// @ts-ignore: decorator
@inline function ld2(p: usize, k: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>k << 2)));
}

// @ts-ignore: decorator
@inline function st2(p: usize, k: i32, v: v128): void {
  v128.store64_lane(p + (<usize>k << 2), f32x4.demote_f64x2_zero(v), 0);
}

// @ts-ignore: decorator
@inline function pos2(v: v128): v128 {
  return v128.and(v, f64x2.gt(v, f64x2.splat(0)));
}

/** limitedSlope on 2 lanes, same operations. */
// @ts-ignore: decorator
@inline function slope2(a: v128, b: v128, lim: i32): v128 {
  const aa = f64x2.abs(a);
  const ab = f64x2.abs(b);
  const s = lim == MINMOD ? f64x2.min(aa, ab) : f64x2.max(f64x2.min(ab, f64x2.mul(f64x2.splat(2), aa)), f64x2.min(aa, f64x2.mul(f64x2.splat(2), ab)));
  const zero = f64x2.splat(0);
  const sg = v128.bitselect(s, f64x2.neg(s), f64x2.gt(a, zero));
  return v128.and(sg, f64x2.gt(f64x2.mul(a, b), zero));
}

/** upwind on 2 lanes, same operations. */
// @ts-ignore: decorator
@inline function upwind2(h0: v128, s0: v128, h1: v128, s1: v128, c: v128): v128 {
  const zero = f64x2.splat(0);
  const half = f64x2.splat(0.5);
  const one = f64x2.splat(1);
  const cp = v128.and(c, f64x2.gt(c, zero));
  const cm = v128.and(c, f64x2.lt(c, zero));
  return f64x2.add(
    f64x2.mul(cp, f64x2.add(h0, f64x2.mul(f64x2.mul(half, f64x2.sub(one, c)), s0))),
    f64x2.mul(cm, f64x2.sub(h1, f64x2.mul(f64x2.mul(half, f64x2.add(one, c)), s1))),
  );
}

/**
 * Transport pass 1 (see transportThickness) for bands [b0, b1) of nb equal row
 * bands: band b covers rows [ny·b/nb, ny·(b+1)/nb) and uses scratch
 * scratch + b·(4·nx+8) f64. Per row j: sums[2j] = Σ Δt·smb, sums[2j+1] =
 * boundary outflow (m·cells); the donor cells to limit go to listA[j·nx …] and
 * the cells that went negative to listB[j·nx …], counts in cnt[2j], cnt[2j+1].
 * smb, topg, usurf optional (0). Same f64 operations as the TypeScript loop,
 * 2 cells per f64x2 instruction: per row the limited x-slopes, then the x-face
 * fluxes, then the y-slopes, north fluxes and the update.
 */
export function transportPass1(
  b0: i32, b1: i32, nb: i32,
  thk: usize, ux: usize, vy: usize, smb: usize, out: usize, topg: usize, usurf: usize,
  scratch: usize, sums: usize, listA: usize, listB: usize, cnt: usize,
  nx: i32, ny: i32, dt: f64, cx: f64, cy: f64, lim: i32, sl: f64, fl: f64,
): void {
  const slopes = lim <= MINMOD;
  const centred = lim == CENTERED;
  const haveSurf = topg != 0 && usurf != 0;
  const nx1 = nx + 1;
  const zero = f64x2.splat(0);
  const half = f64x2.splat(0.5);
  const vdt = f64x2.splat(dt);
  const vcx = f64x2.splat(cx);
  const vcy = f64x2.splat(cy);
  const vsl = f64x2.splat(sl);
  const vfl = f64x2.splat(fl);
  for (let b = b0; b < b1; b++) {
    const ja = <i32>((<i64>ny * b) / nb);
    const jb = <i32>((<i64>ny * (b + 1)) / nb);
    if (jb <= ja) continue;
    const sx = scratch + (<usize>(b * (4 * nx + 8)) << 3); // σx of the row (nx)
    const fx = sx + (<usize>nx << 3); // x-face fluxes of the row (nx + 1)
    const south = fx + (<usize>(nx + 1) << 3); // fluxes through the faces south of the row
    const sigN = south + (<usize>nx << 3); // σy of the row
    let startOut: f64 = 0;
    // σ_y of row ja and the flux through the faces south of it
    for (let i = 0; i < nx; i++) {
      const hm = hAt(thk, nx, ny, ja - 2, i);
      const h0 = hAt(thk, nx, ny, ja - 1, i);
      const h1 = ld(thk, ja * nx + i);
      const h2 = hAt(thk, nx, ny, ja + 1, i);
      const s1 = slopes ? limitedSlope(h1 - h0, h2 - h1, lim) : 0;
      const s0 = slopes && ja > 0 ? limitedSlope(h0 - hm, h1 - h0, lim) : 0;
      const cv = ld(vy, ja * nx + i) * cy;
      const f = centred && ja > 0 ? cv * (0.5 * (h0 + h1)) : upwind(h0, s0, h1, s1, cv);
      std(sigN, i, s1);
      std(south, i, f);
      if (ja == 0) startOut -= f;
    }
    for (let j = ja; j < jb; j++) {
      const row = j * nx;
      const lastRow = j == ny - 1;
      const rowP1 = lastRow ? -1 : row + nx;
      const rowP2 = j + 2 < ny ? row + 2 * nx : -1;
      let nLim = 0;
      let nChk = 0;
      let smbSum: f64 = 0;
      let outSum: f64 = j == ja ? startOut : 0;
      // 1. limited x-slopes (ice-free padding outside the row)
      if (slopes) {
        for (let i = 0; i < nx; i++) {
          if (i == 1) {
            for (; i + 2 <= nx - 1; i += 2) {
              const hm = ld2(thk, row + i - 1);
              const h0 = ld2(thk, row + i);
              const hp = ld2(thk, row + i + 1);
              v128.store(sx + (<usize>i << 3), slope2(f64x2.sub(h0, hm), f64x2.sub(hp, h0), lim));
            }
            if (i >= nx) break;
          }
          const hm = i > 0 ? ld(thk, row + i - 1) : 0;
          const h0 = ld(thk, row + i);
          const hp = i + 1 < nx ? ld(thk, row + i + 1) : 0;
          std(sx, i, limitedSlope(h0 - hm, hp - h0, lim));
        }
      } else memory.fill(sx, 0, <usize>nx << 3);
      // 2. x-face fluxes; face f lies between cells f−1 and f
      {
        std(fx, 0, upwind(0, 0, ld(thk, row), ldd(sx, 0), ld(ux, j * nx1) * cx));
        std(fx, nx, upwind(ld(thk, row + nx - 1), ldd(sx, nx - 1), 0, 0, ld(ux, j * nx1 + nx) * cx));
        let f = 1;
        for (; f + 2 <= nx; f += 2) {
          const hl = ld2(thk, row + f - 1);
          const hr = ld2(thk, row + f);
          const c = f64x2.mul(ld2(ux, j * nx1 + f), vcx);
          const q = centred ? f64x2.mul(c, f64x2.mul(half, f64x2.add(hl, hr))) : upwind2(hl, v128.load(sx + (<usize>(f - 1) << 3)), hr, v128.load(sx + (<usize>f << 3)), c);
          v128.store(fx + (<usize>f << 3), q);
        }
        for (; f < nx; f++) {
          const hl = ld(thk, row + f - 1);
          const hr = ld(thk, row + f);
          const c = ld(ux, j * nx1 + f) * cx;
          std(fx, f, centred ? c * (0.5 * (hl + hr)) : upwind(hl, ldd(sx, f - 1), hr, ldd(sx, f), c));
        }
        outSum += ldd(fx, nx) - ldd(fx, 0);
      }
      // 3. y-slopes, north fluxes and the update, 2 cells at a time
      let vsmb = zero;
      let vnorth = zero;
      let i = 0;
      for (; i + 2 <= nx; i += 2) {
        const k = row + i;
        const h0 = ld2(thk, k);
        const v0 = rowP1 >= 0 ? ld2(thk, rowP1 + i) : zero;
        const v1 = rowP2 >= 0 ? ld2(thk, rowP2 + i) : zero;
        const sy0 = v128.load(sigN + (<usize>i << 3));
        const sy1 = slopes && rowP1 >= 0 ? slope2(f64x2.sub(v0, h0), f64x2.sub(v1, v0), lim) : zero;
        const cv = f64x2.mul(ld2(vy, (j + 1) * nx + i), vcy);
        const north = centred && !lastRow ? f64x2.mul(cv, f64x2.mul(half, f64x2.add(h0, v0))) : upwind2(h0, sy0, v0, sy1, cv);
        v128.store(sigN + (<usize>i << 3), sy1);
        const sIn = v128.load(south + (<usize>i << 3));
        const ds = smb == 0 ? zero : f64x2.mul(vdt, ld2(smb, k));
        const a = f64x2.add(h0, ds);
        vsmb = f64x2.add(vsmb, ds);
        const west = v128.load(fx + (<usize>i << 3));
        const east = v128.load(fx + (<usize>(i + 1) << 3));
        const hn = f64x2.sub(a, f64x2.add(f64x2.sub(east, west), f64x2.sub(north, sIn)));
        const o = f64x2.add(f64x2.add(f64x2.add(pos2(east), pos2(f64x2.neg(west))), pos2(north)), pos2(f64x2.neg(sIn)));
        const ma = f64x2.gt(o, pos2(a));
        const mb = f64x2.lt(hn, zero);
        if (v128.any_true(v128.or(ma, mb))) {
          if (i64x2.extract_lane(ma, 0) != 0) store<i32>(listA + (<usize>(row + nLim++) << 2), k);
          if (i64x2.extract_lane(ma, 1) != 0) store<i32>(listA + (<usize>(row + nLim++) << 2), k + 1);
          if (i64x2.extract_lane(mb, 0) != 0) store<i32>(listB + (<usize>(row + nChk++) << 2), k);
          if (i64x2.extract_lane(mb, 1) != 0) store<i32>(listB + (<usize>(row + nChk++) << 2), k + 1);
        }
        st2(out, k, hn);
        if (haveSurf) {
          const hp = pos2(hn);
          const g = f64x2.add(ld2(topg, k), hp);
          const fv = f64x2.add(vsl, f64x2.mul(vfl, hp));
          st2(usurf, k, v128.bitselect(g, fv, f64x2.gt(g, fv)));
        }
        vnorth = f64x2.add(vnorth, north);
        v128.store(south + (<usize>i << 3), north);
      }
      smbSum = f64x2.extract_lane(vsmb, 0) + f64x2.extract_lane(vsmb, 1);
      let northSum = f64x2.extract_lane(vnorth, 0) + f64x2.extract_lane(vnorth, 1);
      for (; i < nx; i++) {
        const k = row + i;
        const h0 = ld(thk, k);
        const v0 = rowP1 >= 0 ? ld(thk, rowP1 + i) : 0;
        const v1 = rowP2 >= 0 ? ld(thk, rowP2 + i) : 0;
        const sy0 = ldd(sigN, i);
        const sy1 = slopes && rowP1 >= 0 ? limitedSlope(v0 - h0, v1 - v0, lim) : 0;
        const cv = ld(vy, (j + 1) * nx + i) * cy;
        const north = centred && !lastRow ? cv * (0.5 * (h0 + v0)) : upwind(h0, sy0, v0, sy1, cv);
        std(sigN, i, sy1);
        const sIn = ldd(south, i);
        const s = smb == 0 ? 0 : ld(smb, k);
        const a = h0 + dt * s;
        smbSum += dt * s;
        const west = ldd(fx, i);
        const east = ldd(fx, i + 1);
        const hn = a - ((east - west) + (north - sIn));
        const o = (east > 0 ? east : 0) + (west < 0 ? -west : 0) + (north > 0 ? north : 0) + (sIn < 0 ? -sIn : 0);
        if (o > (a > 0 ? a : 0)) store<i32>(listA + (<usize>(row + nLim++) << 2), k);
        if (hn < 0) store<i32>(listB + (<usize>(row + nChk++) << 2), k);
        st(out, k, hn);
        if (haveSurf) {
          const hp = hn > 0 ? hn : 0;
          const g = ld(topg, k) + hp;
          const fv = sl + fl * hp;
          st(usurf, k, g > fv ? g : fv);
        }
        northSum += north;
        std(south, i, north);
      }
      if (lastRow) outSum += northSum;
      std(sums, 2 * j, smbSum);
      std(sums, 2 * j + 1, outSum);
      store<i32>(cnt + (<usize>(2 * j) << 2), nLim);
      store<i32>(cnt + (<usize>(2 * j + 1) << 2), nChk);
    }
  }
}
