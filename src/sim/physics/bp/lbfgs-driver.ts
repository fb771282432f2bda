/**
 * Limited-memory BFGS (Nocedal & Wright 2006, algorithms 7.4 and 7.5) with a
 * strong-Wolfe line search (their algorithms 3.5/3.6, cubic interpolation in
 * the zoom): the scalar logic, with every pass over the n-vectors delegated
 * to an {@link LbfgsVectors} backend that owns them — the TypeScript one
 * (lbfgs.ts, generic) or the wasm SIMD one (lbfgs-wasm.ts, the
 * Blatter–Pattyn solve, vectors and correction pairs in kernel memory).
 *
 * Stopping: relative change |f_k − f_{k−1}| / max(|f_k|, tiny) < `rtol` on
 * `patience` consecutive iterations, or ‖∇f‖₂ ≤ `gtol`, or `maxIter`
 * iterations (not converged), or a line search that cannot decrease f any
 * more (reported as such: at float32 noise that is the end of the road).
 */

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

/**
 * The vectors of one L-BFGS run and the passes over them: the iterate x with
 * its gradient g, the trial point xt with gt, the direction d, and up to m
 * correction pairs (s, y), oldest first.
 */
export interface LbfgsVectors {
  /** Correction pairs held now. */
  readonly pairs: number;
  /** f(x), writing g = ∇f(x). */
  evalStart(): number;
  /** xt = x + a·d, f(xt) with gt = ∇f(xt); returns f and gtᵀd. */
  evalAt(a: number): { f: number; dd: number };
  /** d = −H g by the two-loop recursion over the pairs (H₀ = γI, γ = sᵀy/yᵀy of the newest); returns gᵀd. */
  direction(): number;
  /** d = −g. */
  steepest(): void;
  /** dᵀd. */
  dd(): number;
  /** gᵀg. */
  gg(): number;
  /**
   * Forms the pair s = αd, y = gt − g (rounded to the pairs' storage),
   * dropping the oldest pair first when m are held; returns sᵀy, sᵀs, yᵀy of
   * the stored values. {@link keepPair} then adds it to the history.
   */
  makePair(alpha: number): { sy: number; ss: number; yy: number };
  keepPair(sy: number): void;
  /** Drops every pair. */
  clear(): void;
  /** x ← xt, g ← gt (the trial point becomes the iterate). */
  accept(): void;
  /** Leaves the final x where the caller expects it. */
  finish(): void;
}

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
function wolfeSearch(v: LbfgsVectors, f0: number, d0: number, alpha1: number, c1: number, c2: number, maxEval: number): LineSearch {
  let evals = 0;
  const evalAt = (a: number): { f: number; dd: number } => {
    evals++;
    return v.evalAt(a);
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
 * Minimise from the x held by `v` (memory m = `o.memory`, which `v` was
 * built for). Never throws on non-convergence: the result says why it
 * stopped; callers decide whether that is an error.
 */
export function lbfgsDrive(v: LbfgsVectors, o: LbfgsOptions = {}): LbfgsResult {
  const maxIter = o.maxIter ?? 1000;
  const rtol = o.rtol ?? 1e-6;
  const patience = o.patience ?? 3;
  const gtol = o.gtol ?? 0;
  const c1 = o.c1 ?? 1e-4;
  const c2 = o.c2 ?? 0.9;
  const maxLs = o.maxLineSearch ?? 30;
  let f = v.evalStart();
  let evaluations = 1;
  const history = [f];
  let gnorm = Math.sqrt(v.gg());
  let relChange = Infinity;
  let quiet = 0;
  let reason: StopReason = 'maxiter';
  let it = 0;
  if (!Number.isFinite(f)) {
    v.finish();
    return { f, iterations: 0, evaluations, relChange, gradNorm: gnorm, reason: 'linesearch', converged: false, history };
  }
  if (gnorm <= gtol || gnorm === 0) reason = 'gtol';
  while (reason === 'maxiter' && it < maxIter) {
    let d0 = v.direction();
    if (!(d0 < 0)) {
      // Not a descent direction (curvature information gone bad): restart on steepest descent.
      v.clear();
      v.steepest();
      d0 = -gnorm * gnorm;
    }
    const alpha1 = v.pairs ? 1 : (o.firstStep ?? 1) / Math.sqrt(v.dd());
    const ls = wolfeSearch(v, f, d0, alpha1, c1, c2, maxLs);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      if (v.pairs) {
        // Retry once from steepest descent before giving up.
        v.clear();
        continue;
      }
      reason = 'linesearch';
      break;
    }
    // Accept: s = αd, y = g_new − g.
    const { sy, ss, yy } = v.makePair(ls.alpha);
    if (sy > 1e-12 * Math.sqrt(ss * yy)) v.keepPair(sy);
    v.accept();
    relChange = Math.abs(f - ls.f) / Math.max(Math.abs(ls.f), 1e-300);
    f = ls.f;
    gnorm = Math.sqrt(v.gg());
    it++;
    history.push(f);
    o.onIter?.(it, f, gnorm);
    quiet = relChange < rtol ? quiet + 1 : 0;
    if (gnorm <= gtol) reason = 'gtol';
    else if (quiet >= patience) reason = 'rtol';
  }
  v.finish();
  return { f, iterations: it, evaluations, relChange, gradNorm: gnorm, reason, converged: reason === 'rtol' || reason === 'gtol', history };
}
