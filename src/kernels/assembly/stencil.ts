// Staggered-grid gradient / divergence on a C-order (ny, nx) grid, in f32.
//
// ABI shared by every nunatak kernel: the first two arguments are the row
// band [j0, j1) this call computes (so the band pool can split a kernel over
// threads); array arguments are byte offsets into the imported shared memory
// (0 means "absent"); no static data (modules share one memory).
//
// Layout: s (ny, nx) cell centres; gx (ny, nx-1) x-faces i+1/2 between
// columns i and i+1; gy (ny-1, nx) y-faces j+1/2 between rows j and j+1.
// Only interior faces are stored: boundary faces carry zero flux.

/** gx[j, i] = (s[j, i+1] - s[j, i]) * invdx for rows j0 <= j < j1. */
export function gradX(j0: i32, j1: i32, s: usize, gx: usize, nx: i32, invdx: f32): void {
  const m = nx - 1;
  const vinv = f32x4.splat(invdx);
  for (let j = j0; j < j1; j++) {
    const sr = s + ((<usize>j * <usize>nx) << 2);
    const gr = gx + ((<usize>j * <usize>m) << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const p = sr + (<usize>i << 2);
      v128.store(gr + (<usize>i << 2), f32x4.mul(f32x4.sub(v128.load(p + 4), v128.load(p)), vinv));
    }
    for (; i < m; i++) {
      const p = sr + (<usize>i << 2);
      store<f32>(gr + (<usize>i << 2), (load<f32>(p + 4) - load<f32>(p)) * invdx);
    }
  }
}

/** gy[j, i] = (s[j+1, i] - s[j, i]) * invdy for rows j0 <= j < min(j1, ny-1). */
export function gradY(j0: i32, j1: i32, s: usize, gy: usize, nx: i32, ny: i32, invdy: f32): void {
  const vinv = f32x4.splat(invdy);
  const je = j1 < ny - 1 ? j1 : ny - 1;
  const rowBytes = <usize>nx << 2;
  for (let j = j0; j < je; j++) {
    const sr = s + <usize>j * rowBytes;
    const gr = gy + <usize>j * rowBytes;
    let i = 0;
    for (; i + 4 <= nx; i += 4) {
      const p = sr + (<usize>i << 2);
      v128.store(gr + (<usize>i << 2), f32x4.mul(f32x4.sub(v128.load(p + rowBytes), v128.load(p)), vinv));
    }
    for (; i < nx; i++) {
      const p = sr + (<usize>i << 2);
      store<f32>(gr + (<usize>i << 2), (load<f32>(p + rowBytes) - load<f32>(p)) * invdy);
    }
  }
}

/**
 * out[j, i] = (fx[j, i] - fx[j, i-1]) * invdx + (fy[j, i] - fy[j-1, i]) * invdy
 * with zero flux on the domain edges (fx[j, -1] = fx[j, nx-1] = 0, same for fy).
 * fx or fy may be 0 (absent = zero flux everywhere).
 */
export function divergence(j0: i32, j1: i32, fx: usize, fy: usize, out: usize, nx: i32, ny: i32, invdx: f32, invdy: f32): void {
  const m = nx - 1;
  const vx = f32x4.splat(invdx);
  const vy = f32x4.splat(invdy);
  const rowBytes = <usize>nx << 2;
  for (let j = j0; j < j1; j++) {
    const o = out + <usize>j * rowBytes;
    // x part: east face minus west face.
    if (fx != 0 && m > 0) {
      const fr = fx + ((<usize>j * <usize>m) << 2);
      store<f32>(o, load<f32>(fr) * invdx);
      let i = 1;
      for (; i + 4 <= m; i += 4) {
        const p = fr + (<usize>i << 2);
        v128.store(o + (<usize>i << 2), f32x4.mul(f32x4.sub(v128.load(p), v128.load(p - 4)), vx));
      }
      for (; i < m; i++) {
        const p = fr + (<usize>i << 2);
        store<f32>(o + (<usize>i << 2), (load<f32>(p) - load<f32>(p - 4)) * invdx);
      }
      store<f32>(o + (<usize>m << 2), -load<f32>(fr + (<usize>(m - 1) << 2)) * invdx);
    } else {
      memory.fill(o, 0, rowBytes);
    }
    // y part: north face (row j+1/2) minus south face (row j-1/2).
    if (fy != 0 && ny > 1) {
      const hasN = j < ny - 1;
      const hasS = j > 0;
      const fn = fy + <usize>j * rowBytes;
      const fs = fn - rowBytes;
      let i = 0;
      if (hasN && hasS) {
        for (; i + 4 <= nx; i += 4) {
          const q = <usize>i << 2;
          v128.store(o + q, f32x4.add(v128.load(o + q), f32x4.mul(f32x4.sub(v128.load(fn + q), v128.load(fs + q)), vy)));
        }
        for (; i < nx; i++) {
          const q = <usize>i << 2;
          store<f32>(o + q, load<f32>(o + q) + (load<f32>(fn + q) - load<f32>(fs + q)) * invdy);
        }
      } else if (hasN) {
        for (; i < nx; i++) {
          const q = <usize>i << 2;
          store<f32>(o + q, load<f32>(o + q) + load<f32>(fn + q) * invdy);
        }
      } else {
        for (; i < nx; i++) {
          const q = <usize>i << 2;
          store<f32>(o + q, load<f32>(o + q) - load<f32>(fs + q) * invdy);
        }
      }
    }
  }
}
