/**
 * Root of a decreasing, possibly step-like response: find x in [lo, hi] with
 * |f(x) − target| ≤ tol, where f falls as x rises (a warmer spin-up climate
 * leaves a shorter glacier). Both ends are evaluated first; a target outside
 * [f(hi), f(lo)] is returned as `outside` (the caller names the setting).
 * Then false position with the Illinois halving (few evaluations on a smooth
 * f, still bracketed on a step-like one), stopped by tol, by the bracket
 * shrinking below xtol, or after maxEvals evaluations; the best point seen is
 * returned.
 */
export interface BracketOptions {
  lo: number;
  hi: number;
  target: number;
  tol: number;
  xtol: number;
  maxEvals: number;
}

export interface Evaluation<T> {
  x: number;
  y: number;
  data: T;
}

export interface BracketResult<T> {
  best: Evaluation<T>;
  evals: Evaluation<T>[];
  /** The target is not within [f(hi), f(lo)]: the reachable range is given instead of a root. */
  outside?: { min: number; max: number };
  converged: boolean;
}

export async function solveDecreasing<T>(f: (x: number) => Promise<{ y: number; data: T }>, o: BracketOptions): Promise<BracketResult<T>> {
  const evals: Evaluation<T>[] = [];
  const at = async (x: number): Promise<Evaluation<T>> => {
    const r = await f(x);
    const e = { x, y: r.y, data: r.data };
    evals.push(e);
    return e;
  };
  const best = () => evals.reduce((a, b) => (Math.abs(b.y - o.target) < Math.abs(a.y - o.target) ? b : a));
  let a = await at(o.lo); // coldest: longest
  if (Math.abs(a.y - o.target) <= o.tol) return { best: a, evals, converged: true };
  let b = await at(o.hi);
  if (Math.abs(b.y - o.target) <= o.tol) return { best: b, evals, converged: true };
  if (o.target > a.y || o.target < b.y) return { best: best(), evals, outside: { min: Math.min(a.y, b.y), max: Math.max(a.y, b.y) }, converged: false };
  // residuals g = y − target: g(a) > 0, g(b) < 0
  let ga = a.y - o.target;
  let gb = b.y - o.target;
  let side = 0;
  while (evals.length < o.maxEvals && b.x - a.x > o.xtol) {
    let x = ga === gb ? 0.5 * (a.x + b.x) : b.x - (gb * (b.x - a.x)) / (gb - ga);
    // keep the try well inside the bracket: a flat step would otherwise pin it to one end
    const w = b.x - a.x;
    x = Math.min(Math.max(x, a.x + 0.1 * w), b.x - 0.1 * w);
    const c = await at(x);
    const gc = c.y - o.target;
    if (Math.abs(gc) <= o.tol) return { best: c, evals, converged: true };
    if (gc > 0) {
      a = c;
      ga = gc;
      if (side === -1) gb /= 2; // Illinois: the other end stayed twice
      side = -1;
    } else {
      b = c;
      gb = gc;
      if (side === 1) ga /= 2;
      side = 1;
    }
  }
  return { best: best(), evals, converged: Math.abs(best().y - o.target) <= o.tol };
}
