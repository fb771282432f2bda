/**
 * Generic L-BFGS (the driver in lbfgs-driver.ts on TypeScript vectors):
 * minimises f(x) given a callback that returns f and writes ∇f; float64
 * iterate and gradient, float32 correction pairs. The thickness inversion
 * uses it as it is; the Blatter–Pattyn solve (bp-solve.ts) on its free
 * velocity entries when asked for `vectors: 'ts'`.
 */
import { lbfgsDrive, type LbfgsOptions, type LbfgsResult, type LbfgsVectors } from './lbfgs-driver.js';

export type { LbfgsOptions, LbfgsResult, StopReason } from './lbfgs-driver.js';

/** Objective: returns f(x) and writes ∇f(x) into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};

/**
 * d = −H g by the L-BFGS two-loop recursion (Nocedal & Wright alg. 7.4) over
 * the pairs (S[k], Y[k]), oldest first, with H₀ = γI, γ = sᵀy / yᵀy of the
 * newest pair. Each pass that updates d also accumulates the dot product the
 * next step needs.
 */
function twoLoop(g: Float64Array, S: Float32Array[], Y: Float32Array[], rho: number[], a: Float64Array, d: Float64Array): void {
  const n = g.length;
  const L = S.length;
  if (L === 0) {
    for (let i = 0; i < n; i++) d[i] = -g[i];
    return;
  }
  // Loop 1 (newest → oldest): a_k = ρ_k s_kᵀd; d −= a_k y_k.
  let acc = 0;
  const sL = S[L - 1];
  for (let i = 0; i < n; i++) {
    const v = g[i];
    d[i] = v;
    acc += sL[i] * v;
  }
  a[L - 1] = rho[L - 1] * acc;
  for (let k = L - 1; k >= 1; k--) {
    const ak = a[k], yk = Y[k], sn = S[k - 1];
    acc = 0;
    for (let i = 0; i < n; i++) {
      const v = d[i] - ak * yk[i];
      d[i] = v;
      acc += sn[i] * v;
    }
    a[k - 1] = rho[k - 1] * acc;
  }
  // Last update of loop 1, scaling by γ, and the first dot of loop 2.
  const sl = S[L - 1], yl = Y[L - 1];
  let sy = 0, yy = 0;
  for (let i = 0; i < n; i++) {
    sy += sl[i] * yl[i];
    yy += yl[i] * yl[i];
  }
  const gamma = sy / yy;
  const a0 = a[0], y0 = Y[0];
  acc = 0;
  for (let i = 0; i < n; i++) {
    const v = gamma * (d[i] - a0 * y0[i]);
    d[i] = v;
    acc += y0[i] * v;
  }
  // Loop 2 (oldest → newest): b_k = ρ_k y_kᵀd; d += (a_k − b_k) s_k.
  let b = rho[0] * acc;
  for (let k = 0; k < L - 1; k++) {
    const c = a[k] - b, sk = S[k], yn = Y[k + 1];
    acc = 0;
    for (let i = 0; i < n; i++) {
      const v = d[i] + c * sk[i];
      d[i] = v;
      acc += yn[i] * v;
    }
    b = rho[k + 1] * acc;
  }
  const c = a[L - 1] - b, sk = S[L - 1];
  for (let i = 0; i < n; i++) d[i] = -(d[i] + c * sk[i]);
}

/** The vectors as Float64Arrays and the pairs as Float32Arrays, in plain TypeScript loops. */
class TsVectors implements LbfgsVectors {
  // Correction pairs in float32: the passes over them are memory-bound, and
  // the gradients they difference come from a float32 kernel anyway.
  private readonly S: Float32Array[] = [];
  private readonly Y: Float32Array[] = [];
  private readonly rho: number[] = [];
  private readonly alphaBuf: Float64Array;
  private g: Float64Array;
  private gt: Float64Array;
  private xt: Float64Array;
  private readonly d: Float64Array;
  private s: Float32Array | null = null;
  private y: Float32Array | null = null;

  constructor(private readonly fun: Objective, private x: Float64Array, private readonly m: number, private readonly x0 = x) {
    const n = x.length;
    this.alphaBuf = new Float64Array(m);
    this.g = new Float64Array(n);
    this.gt = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.d = new Float64Array(n);
  }

  get pairs(): number {
    return this.S.length;
  }

  evalStart(): number {
    return this.fun(this.x, this.g);
  }

  evalAt(a: number): { f: number; dd: number } {
    const { x, xt, d } = this;
    for (let k = 0; k < x.length; k++) xt[k] = x[k] + a * d[k];
    const f = this.fun(xt, this.gt);
    return { f, dd: dot(this.gt, d) };
  }

  direction(): number {
    // Two-loop recursion d = −H ∇f, each vector pass fused with the next
    // dot product (m + 1 passes per loop instead of 2m: at n ~ 10⁵–10⁶ these
    // passes, not the energy, dominate an iteration).
    twoLoop(this.g, this.S, this.Y, this.rho, this.alphaBuf, this.d);
    return dot(this.g, this.d);
  }

  steepest(): void {
    const { g, d } = this;
    for (let i = 0; i < g.length; i++) d[i] = -g[i];
  }

  dd(): number {
    return dot(this.d, this.d);
  }

  gg(): number {
    return dot(this.g, this.g);
  }

  makePair(alpha: number): { sy: number; ss: number; yy: number } {
    const { S, Y, rho, m, d, g, gt } = this;
    const n = d.length;
    const s = S.length === m ? S.shift()! : new Float32Array(n);
    const y = Y.length === m ? Y.shift()! : new Float32Array(n);
    if (rho.length === m) rho.shift();
    let sy = 0, ss = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      // the rounded values, so ρ = 1/sᵀy is consistent with what is stored
      const si = Math.fround(alpha * d[i]);
      const yi = Math.fround(gt[i] - g[i]);
      s[i] = si;
      y[i] = yi;
      sy += si * yi;
      ss += si * si;
      yy += yi * yi;
    }
    this.s = s;
    this.y = y;
    return { sy, ss, yy };
  }

  keepPair(sy: number): void {
    this.S.push(this.s!);
    this.Y.push(this.y!);
    this.rho.push(1 / sy);
  }

  clear(): void {
    this.S.length = this.Y.length = this.rho.length = 0;
  }

  accept(): void {
    [this.x, this.xt] = [this.xt, this.x];
    [this.g, this.gt] = [this.gt, this.g];
  }

  finish(): void {
    // Buffers swap on every accepted step: the answer must end in the caller's array.
    if (this.x !== this.x0) this.x0.set(this.x);
  }
}

/**
 * Minimise `fun` from x (updated in place). Never throws on non-convergence:
 * the result says why it stopped; callers decide whether that is an error.
 */
export function lbfgs(fun: Objective, x: Float64Array, o: LbfgsOptions = {}): LbfgsResult {
  return lbfgsDrive(new TsVectors(fun, x, o.memory ?? 10), o);
}
