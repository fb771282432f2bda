/**
 * Limited-memory BFGS (Nocedal & Wright 2006, algorithms 7.4 and 7.5) with a
 * strong-Wolfe line search (their algorithms 3.5/3.6, cubic interpolation in
 * the zoom), float64 iterate and gradient,
 * float32 correction pairs. Generic: minimises f(x) given a
 * callback that returns f and writes ∇f. The Blatter–Pattyn solver
 * (bp-solve.ts) uses it on the free velocity entries.
 *
 * Stopping: relative change |f_k − f_{k−1}| / max(|f_k|, tiny) < `rtol` on
 * `patience` consecutive iterations, or ‖∇f‖₂ ≤ `gtol`, or `maxIter`
 * iterations (not converged), or a line search that cannot decrease f any
 * more (reported as such: at float32 noise that is the end of the road).
 */

/** Objective: returns f(x) and writes ∇f(x) into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (default 10). */
  memory?: number;
  /** Largest number of iterations (default 1000). */
  maxIter?: number;
  /** Relative change of f that counts as converged (default 1e-6). */
  rtol?: number;
  /** Consecutive iterations below rtol needed (default 3). */
  patience?: number;
  /** Absolute gradient 2-norm that counts as converged (default 0: off). */
  gtol?: number;
  /** Sufficient-decrease (Armijo) constant c₁ (default 1e-4). */
  c1?: number;
  /** Curvature constant c₂ of the strong Wolfe condition (default 0.9). */
  c2?: number;
  /** Function evaluations allowed per line search (default 30). */
  maxLineSearch?: number;
  /** Length ‖Δx‖₂ of the first trial step (default 1; later steps use α = 1 on the quasi-Newton direction). */
  firstStep?: number;
  /** Called after every accepted iteration. */
  onIter?: (it: number, f: number, gnorm: number) => void;
}

export type StopReason = 'rtol' | 'gtol' | 'maxiter' | 'linesearch';

export interface LbfgsResult {
  /** Final objective value. */
  f: number;
  /** Accepted iterations. */
  iterations: number;
  /** Objective (and gradient) evaluations. */
  evaluations: number;
  /** Relative change of f on the last accepted iteration. */
  relChange: number;
  /** ‖∇f‖₂ at the returned x. */
  gradNorm: number;
  /** Why it stopped; `rtol` and `gtol` are convergence. */
  reason: StopReason;
  converged: boolean;
  /** f after each accepted iteration (history[0] = start). */
  history: number[];
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), kept inside the bracket; bisection when it falls out. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
    // Stay away from the ends so the bracket shrinks.
    const pad = 0.1 * (hi - lo);
    if (Number.isFinite(t) && t > lo + pad && t < hi - pad) return t;
  }
  return 0.5 * (a + b);
}

interface LineSearch {
  alpha: number;
  f: number;
  evaluations: number;
  ok: boolean;
}

/**
 * Strong-Wolfe line search along d from x (f0, slope d0 = ∇f·d < 0): on
 * success xt holds x + αd and gt its gradient.
 */
function wolfeSearch(fun: Objective, x: Float64Array, d: Float64Array, f0: number, d0: number, alpha1: number, xt: Float64Array, gt: Float64Array, c1: number, c2: number, maxEval: number): LineSearch {
  let evals = 0;
  const evalAt = (a: number): { f: number; dd: number } => {
    for (let k = 0; k < x.length; k++) xt[k] = x[k] + a * d[k];
    evals++;
    const f = fun(xt, gt);
    return { f, dd: dot(gt, d) };
  };
  const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): LineSearch => {
    while (evals < maxEval) {
      const a = cubicMin(lo, flo, dlo, hi, fhi, dhi);
      const { f, dd } = evalAt(a);
      if (!Number.isFinite(f) || f > f0 + c1 * a * d0 || f >= flo) {
        hi = a;
        fhi = Number.isFinite(f) ? f : Infinity;
        dhi = Number.isFinite(dd) ? dd : 0;
        if (!Number.isFinite(f)) fhi = flo + Math.abs(flo) + 1; // keep the cubic finite
      } else {
        if (Math.abs(dd) <= -c2 * d0) return { alpha: a, f, evaluations: evals, ok: true };
        if (dd * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = a;
        flo = f;
        dlo = dd;
      }
      if (Math.abs(hi - lo) <= 1e-12 * Math.max(Math.abs(lo), Math.abs(hi))) break;
    }
    // Out of evaluations: accept the best sufficient-decrease point if there is one.
    if (lo > 0 && flo < f0) {
      evalAt(lo);
      return { alpha: lo, f: flo, evaluations: evals, ok: true };
    }
    return { alpha: 0, f: f0, evaluations: evals, ok: false };
  };
  let aPrev = 0;
  let fPrev = f0;
  let dPrev = d0;
  let a = alpha1;
  for (let i = 0; evals < maxEval; i++) {
    const { f, dd } = evalAt(a);
    if (!Number.isFinite(f) || f > f0 + c1 * a * d0 || (i > 0 && f >= fPrev)) {
      return zoom(aPrev, fPrev, dPrev, a, Number.isFinite(f) ? f : fPrev + Math.abs(fPrev) + 1, Number.isFinite(dd) ? dd : 0);
    }
    if (Math.abs(dd) <= -c2 * d0) return { alpha: a, f, evaluations: evals, ok: true };
    if (dd >= 0) return zoom(a, f, dd, aPrev, fPrev, dPrev);
    aPrev = a;
    fPrev = f;
    dPrev = dd;
    a *= 4; // still descending steeply: expand
  }
  if (aPrev > 0 && fPrev < f0) {
    evalAt(aPrev);
    return { alpha: aPrev, f: fPrev, evaluations: evals, ok: true };
  }
  return { alpha: 0, f: f0, evaluations: evals, ok: false };
}

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

/**
 * Minimise `fun` from x (updated in place). Never throws on non-convergence:
 * the result says why it stopped; callers decide whether that is an error.
 */
export function lbfgs(fun: Objective, x: Float64Array, o: LbfgsOptions = {}): LbfgsResult {
  const x0 = x;
  const n = x.length;
  const m = o.memory ?? 10;
  const maxIter = o.maxIter ?? 1000;
  const rtol = o.rtol ?? 1e-6;
  const patience = o.patience ?? 3;
  const gtol = o.gtol ?? 0;
  const c1 = o.c1 ?? 1e-4;
  const c2 = o.c2 ?? 0.9;
  const maxLs = o.maxLineSearch ?? 30;
  // Correction pairs in float32: the passes over them are memory-bound, and
  // the gradients they difference come from a float32 kernel anyway.
  const S: Float32Array[] = [];
  const Y: Float32Array[] = [];
  const rho: number[] = [];
  const alphaBuf = new Float64Array(m);
  let g: Float64Array = new Float64Array(n);
  let gt: Float64Array = new Float64Array(n);
  let xt: Float64Array = new Float64Array(n);
  const d = new Float64Array(n);
  let f = fun(x, g);
  let evaluations = 1;
  const history = [f];
  let gnorm = Math.sqrt(dot(g, g));
  let relChange = Infinity;
  let quiet = 0;
  let reason: StopReason = 'maxiter';
  let it = 0;
  if (!Number.isFinite(f)) return { f, iterations: 0, evaluations, relChange, gradNorm: gnorm, reason: 'linesearch', converged: false, history };
  if (gnorm <= gtol || gnorm === 0) reason = 'gtol';
  while (reason === 'maxiter' && it < maxIter) {
    // Two-loop recursion d = −H ∇f, each vector pass fused with the next
    // dot product (m + 1 passes per loop instead of 2m: at n ~ 10⁵–10⁶ these
    // passes, not the energy, dominate an iteration).
    twoLoop(g, S, Y, rho, alphaBuf, d);
    let d0 = dot(g, d);
    if (!(d0 < 0)) {
      // Not a descent direction (curvature information gone bad): restart on steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      d0 = -gnorm * gnorm;
    }
    const alpha1 = S.length ? 1 : (o.firstStep ?? 1) / Math.sqrt(dot(d, d));
    const ls = wolfeSearch(fun, x, d, f, d0, alpha1, xt, gt, c1, c2, maxLs);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      if (S.length) {
        // Retry once from steepest descent before giving up.
        S.length = Y.length = rho.length = 0;
        continue;
      }
      reason = 'linesearch';
      break;
    }
    // Accept: s = αd, y = g_new − g.
    const s = S.length === m ? S.shift()! : new Float32Array(n);
    const y = Y.length === m ? Y.shift()! : new Float32Array(n);
    if (rho.length === m) rho.shift();
    let sy = 0, ss = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      // the rounded values, so ρ = 1/sᵀy is consistent with what is stored
      const si = Math.fround(ls.alpha * d[i]);
      const yi = Math.fround(gt[i] - g[i]);
      s[i] = si;
      y[i] = yi;
      sy += si * yi;
      ss += si * si;
      yy += yi * yi;
    }
    if (sy > 1e-12 * Math.sqrt(ss * yy)) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    relChange = Math.abs(f - ls.f) / Math.max(Math.abs(ls.f), 1e-300);
    f = ls.f;
    gnorm = Math.sqrt(dot(g, g));
    it++;
    history.push(f);
    o.onIter?.(it, f, gnorm);
    quiet = relChange < rtol ? quiet + 1 : 0;
    if (gnorm <= gtol) reason = 'gtol';
    else if (quiet >= patience) reason = 'rtol';
  }
  // Buffers swap on every accepted step: the answer must end in the caller's array.
  if (x !== x0) x0.set(x);
  return { f, iterations: it, evaluations, relChange, gradNorm: gnorm, reason, converged: reason === 'rtol' || reason === 'gtol', history };
}
