/**
 * The Blatter–Pattyn energy and its hand-written adjoint, in float64
 * TypeScript: the reference every other backend is tested against. One pass
 * over corners: per corner the forward terms of all layers, then the corner's
 * adjoint scattered into the 4 × Nz cells it touches.
 *
 * Per corner c and layer k (between levels k, k+1), IGM 2.x energy_iceflow.py:
 *   ∂U/∂x = mean over the 2 rows and 2 levels of the x-difference / dx (∂/∂y alike),
 *   ∂U/∂z = (Ū_{k+1} − Ū_k) · hz / max(dz_k, thr),   Ū = 4-cell mean,
 *   z → z − b:  ∂U/∂x −= ∂U/∂z · ∂b/∂x, ∂U/∂y −= ∂U/∂z · ∂b/∂y  (V alike),
 *   ε̇² = ½(Exx² + Eyy² + Ezz² + 2Exy²) + Exz² + Eyz²,
 *   C_shear = Σ_k B̄ dz_k (clip(ε̇²) + r²)^((p−2)/2) ε̇² / p,
 *   C_grav  = ρ g 1e-6 Σ_k dz_k (Ū_{k+½} ∂s/∂x + V̄_{k+½} ∂s/∂y),  both 0 unless all 4 cells hold ice,
 *   C_slid  = C̄ N^(s/2) / s,  N = mean(U₀² + V₀²) + r_w² + (Ū₀ ∂b/∂x + V̄₀ ∂b/∂y)²  (absent under no_slip).
 */
import type { BPCorners } from './geometry.js';
import type { BPSettings } from './settings.js';

/** Constants of one energy evaluation derived from the settings. */
export interface BPConstants {
  Nz: number;
  nx: number;
  ny: number;
  dx: number;
  /** Layer fractions ζ_{k+1} − ζ_k. */
  frac: Float64Array;
  p: number;
  s: number;
  thr: number;
  rg2: number;
  rw2: number;
  lo: number;
  hi: number;
  /** ρ g 1e-6 (MPa m⁻¹). */
  rhog: number;
  slide: boolean;
}

/** The constants for settings `st` on an ny×nx grid with cell size dx. */
export function bpConstants(st: BPSettings, nx: number, ny: number, dx: number, frac: Float64Array): BPConstants {
  return {
    Nz: st.Nz, nx, ny, dx, frac,
    p: 1 + 1 / st.exp_glen,
    s: 1 + 1 / st.exp_weertman,
    thr: st.thr_ice_thk,
    rg2: st.regu_glen * st.regu_glen,
    rw2: st.regu_weertman * st.regu_weertman,
    lo: st.min_sr * st.min_sr,
    hi: st.max_sr * st.max_sr,
    rhog: st.ice_density * st.gravity_cst * 1e-6,
    slide: !st.no_slip,
  };
}

/**
 * Σ over corners of C_shear + C_slid + C_grav (MPa m a⁻¹, not yet divided by
 * the corner count). U, V: [k][j][i], entries that are not free already 0.
 * When gU, gV are given, ∂(sum)/∂U, ∂(sum)/∂V are ADDED to them.
 */
export function bpEnergySumTs(
  cor: BPCorners, K: BPConstants, U: ArrayLike<number>, V: ArrayLike<number>, gU?: Float64Array, gV?: Float64Array,
): number {
  const { Nz, nx, ny, frac, p, s, thr, rg2, rw2, lo, hi, rhog, slide } = K;
  const plane = nx * ny;
  const h = 1 / (2 * K.dx);
  const ep = (p - 2) / 2;
  const grad = gU !== undefined && gV !== undefined;
  // per-level corner quantities: x-, y-difference means and 4-cell means, and their adjoints
  const ux = new Float64Array(Nz), uy = new Float64Array(Nz), um = new Float64Array(Nz);
  const vx = new Float64Array(Nz), vy = new Float64Array(Nz), vm = new Float64Array(Nz);
  const uxb = new Float64Array(Nz), uyb = new Float64Array(Nz), umb = new Float64Array(Nz);
  const vxb = new Float64Array(Nz), vyb = new Float64Array(Nz), vmb = new Float64Array(Nz);
  let J = 0;
  for (let cj = 0; cj < cor.nyc; cj++) {
    const r0 = cj * nx;
    const r1 = ((cj + 1) % ny) * nx;
    for (let ci = 0; ci < cor.nxc; ci++) {
      const c = cj * cor.nxc + ci;
      const i1 = (ci + 1) % nx;
      const a = r0 + ci, b = r0 + i1, cc = r1 + ci, d = r1 + i1;
      const bx = cor.bx[c], by = cor.by[c];
      if (slide) {
        const ua = U[a], ub = U[b], uc = U[cc], ud = U[d];
        const va = V[a], vb = V[b], vc = V[cc], vd = V[d];
        const t = ((ua + ub + uc + ud) * bx + (va + vb + vc + vd) * by) / 4;
        const N = (ua * ua + ub * ub + uc * uc + ud * ud + va * va + vb * vb + vc * vc + vd * vd) / 4 + rw2 + t * t;
        const Ns = Math.pow(N, s / 2);
        J += (cor.C[c] * Ns) / s;
        if (grad) {
          // dC/dN · dN/dU_cell = C̄/2 N^(s/2−1) · (U_cell/2 + t ∂b/∂x / 2)
          const gN = (0.5 * cor.C[c] * Ns) / N;
          const tx = t * bx, ty = t * by;
          gU[a] += gN * (ua + tx) / 2; gU[b] += gN * (ub + tx) / 2; gU[cc] += gN * (uc + tx) / 2; gU[d] += gN * (ud + tx) / 2;
          gV[a] += gN * (va + ty) / 2; gV[b] += gN * (vb + ty) / 2; gV[cc] += gN * (vc + ty) / 2; gV[d] += gN * (vd + ty) / 2;
        }
      }
      if (!cor.ice[c]) continue;
      for (let L = 0; L < Nz; L++) {
        const o = L * plane;
        const ua = U[o + a], ub = U[o + b], uc = U[o + cc], ud = U[o + d];
        const va = V[o + a], vb = V[o + b], vc = V[o + cc], vd = V[o + d];
        ux[L] = (ub - ua + ud - uc) * h; uy[L] = (uc - ua + ud - ub) * h; um[L] = (ua + ub + uc + ud) / 4;
        vx[L] = (vb - va + vd - vc) * h; vy[L] = (vc - va + vd - vb) * h; vm[L] = (va + vb + vc + vd) / 4;
      }
      if (grad) {
        uxb.fill(0); uyb.fill(0); umb.fill(0); vxb.fill(0); vyb.fill(0); vmb.fill(0);
      }
      const Bc = cor.B[c], H = cor.thk[c], hz = cor.hz[c], sx = cor.sx[c], sy = cor.sy[c];
      for (let k = 0; k < Nz - 1; k++) {
        const dz = H * frac[k];
        const fz = hz / Math.max(dz, thr);
        const dUdz = (um[k + 1] - um[k]) * fz;
        const dVdz = (vm[k + 1] - vm[k]) * fz;
        const exx = 0.5 * (ux[k] + ux[k + 1]) - dUdz * bx;
        const uyc = 0.5 * (uy[k] + uy[k + 1]) - dUdz * by;
        const vxc = 0.5 * (vx[k] + vx[k + 1]) - dVdz * bx;
        const eyy = 0.5 * (vy[k] + vy[k + 1]) - dVdz * by;
        const exy = 0.5 * (vxc + uyc);
        const exz = 0.5 * dUdz, eyz = 0.5 * dVdz;
        const ezz = exx + eyy;
        const sr = 0.5 * (exx * exx + eyy * eyy + ezz * ezz) + exy * exy + exz * exz + eyz * eyz;
        const inRange = sr >= lo && sr <= hi;
        const q = (sr < lo ? lo : sr > hi ? hi : sr) + rg2;
        const qp = Math.pow(q, ep);
        const su = 0.5 * (um[k] + um[k + 1]), sv = 0.5 * (vm[k] + vm[k + 1]);
        J += (Bc * dz * qp * sr) / p + rhog * dz * (su * sx + sv * sy);
        if (!grad) continue;
        // ∂C_shear/∂ε̇² (the clip passes the derivative only inside [lo, hi], as TF's clip_by_value)
        const gs = ((Bc * dz) / p) * (qp + (inRange ? (sr * ep * qp) / q : 0));
        const exxb = gs * (2 * exx + eyy);
        const eyyb = gs * (2 * eyy + exx);
        const exyb = gs * exy; // = ½ · 2 gs Exy, the share of ∂U/∂y and ∂V/∂x each
        const dUdzb = gs * exz - bx * exxb - by * exyb;
        const dVdzb = gs * eyz - bx * exyb - by * eyyb;
        uxb[k] += 0.5 * exxb; uxb[k + 1] += 0.5 * exxb;
        uyb[k] += 0.5 * exyb; uyb[k + 1] += 0.5 * exyb;
        vxb[k] += 0.5 * exyb; vxb[k + 1] += 0.5 * exyb;
        vyb[k] += 0.5 * eyyb; vyb[k + 1] += 0.5 * eyyb;
        const gg = 0.5 * rhog * dz;
        umb[k + 1] += fz * dUdzb + gg * sx; umb[k] += gg * sx - fz * dUdzb;
        vmb[k + 1] += fz * dVdzb + gg * sy; vmb[k] += gg * sy - fz * dVdzb;
      }
      if (!grad) continue;
      for (let L = 0; L < Nz; L++) {
        const o = L * plane;
        const X = uxb[L] * h, Y = uyb[L] * h, M = umb[L] / 4;
        gU[o + a] += M - X - Y; gU[o + b] += M + X - Y; gU[o + cc] += M - X + Y; gU[o + d] += M + X + Y;
        const Xv = vxb[L] * h, Yv = vyb[L] * h, Mv = vmb[L] / 4;
        gV[o + a] += Mv - Xv - Yv; gV[o + b] += Mv + Xv - Yv; gV[o + cc] += Mv - Xv + Yv; gV[o + d] += Mv + Xv + Yv;
      }
    }
  }
  return J;
}
