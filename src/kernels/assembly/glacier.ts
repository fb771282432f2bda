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

/** smb (m a⁻¹) from usurf (m) for rows [j0, j1): IGM smb_simple; thk / icemask optional (0). */
export function smbSimple(j0: i32, j1: i32, usurf: usize, thk: usize, icemask: usize, smb: usize, nx: i32, gradabl: f64, gradacc: f64, ela: f64, accmax: f64): void {
  const k1 = j1 * nx;
  for (let k = j0 * nx; k < k1; k++) {
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
  for (let i = 0; i < nx; i++) {
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
    for (let i = 1; i < nx; i++) {
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

/** Centre velocities of rows [j0, j1): mean of the two faces, 0 where thk = 0; mag optional (0). */
export function centres(j0: i32, j1: i32, thk: usize, ux: usize, vy: usize, u: usize, v: usize, mag: usize, nx: i32): void {
  const nx1 = nx + 1;
  for (let j = j0; j < j1; j++) {
    const row = j * nx;
    const frow = j * nx1;
    for (let i = 0; i < nx; i++) {
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

/**
 * Transport pass 1 (see transportThickness) for bands [b0, b1) of nb equal row
 * bands: band b covers rows [ny·b/nb, ny·(b+1)/nb) and uses scratch rows
 * scratch + b·2·nx f64. Per row j: sums[2j] = Σ Δt·smb, sums[2j+1] = boundary
 * outflow (m·cells); the donor cells to limit go to listA[j·nx …] and the
 * cells that went negative to listB[j·nx …], counts in cnt[2j], cnt[2j+1].
 * smb, topg, usurf optional (0).
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
  for (let b = b0; b < b1; b++) {
    const ja = <i32>((<i64>ny * b) / nb);
    const jb = <i32>((<i64>ny * (b + 1)) / nb);
    if (jb <= ja) continue;
    const south = scratch + (<usize>(2 * b * nx) << 3);
    const sigN = south + (<usize>nx << 3);
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
      let h0 = ld(thk, row);
      let h1 = nx > 1 ? ld(thk, row + 1) : 0;
      let sx0 = slopes ? limitedSlope(h0, h1 - h0, lim) : 0;
      let west = upwind(0, 0, h0, sx0, ld(ux, j * nx1) * cx);
      outSum -= west;
      for (let i = 0; i < nx; i++) {
        const k = row + i;
        const lastCol = i == nx - 1;
        const h2 = i + 2 < nx ? ld(thk, k + 2) : 0;
        const sx1 = slopes && !lastCol ? limitedSlope(h1 - h0, h2 - h1, lim) : 0;
        const c = ld(ux, j * nx1 + i + 1) * cx;
        const east = centred && !lastCol ? c * (0.5 * (h0 + h1)) : upwind(h0, sx0, h1, sx1, c);
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
        if (lastCol) outSum += east;
        if (lastRow) outSum += north;
        std(south, i, north);
        west = east;
        h0 = h1;
        h1 = h2;
        sx0 = sx1;
      }
      std(sums, 2 * j, smbSum);
      std(sums, 2 * j + 1, outSum);
      store<i32>(cnt + (<usize>(2 * j) << 2), nLim);
      store<i32>(cnt + (<usize>(2 * j + 1) << 2), nChk);
    }
  }
}
