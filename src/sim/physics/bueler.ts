/**
 * Bueler et al. (2005, J. Glaciol. 51(173)) similarity solutions of the
 * isothermal SIA on a flat bed (no sliding), for verification:
 *   H(t, r) = H0 (t/t0)^(−α) [1 − ((t/t0)^(−β) r/R0)^((n+1)/n)]^(n/(2n+1)),
 *   α = (2 − (n+1)λ)/(5n+3), β = (1 + (2n+1)λ)/(5n+3),
 *   t0 = (β/Γ) ((2n+1)/(n+1))ⁿ R0^(n+1) / H0^(2n+1),  M = (λ/t) H.
 * Test B (Halfar) is λ = 0; test C is λ = 5 (α = −1, β = 2 for n = 3).
 * Units: m, a; A in MPa⁻ⁿ a⁻¹ (100 = 1e-16 Pa⁻³ a⁻¹, Bueler's value).
 */
import { siaGammaPerA } from './sia.js';

/** Definition of one similarity solution. */
export interface BuelerCase {
  /** 'B' (no accumulation) or 'C' (M = λH/t, λ = 5). */
  test: 'B' | 'C';
  /** Dome height at t0 (m), default 3600. */
  H0?: number;
  /** Margin radius at t0 (m), default 750 km. */
  R0?: number;
  /** A (MPa⁻ⁿ a⁻¹), default 100. */
  A?: number;
  /** Glen exponent, default 3. */
  n?: number;
}

/** The solved-out constants of a case. */
export interface BuelerSolution {
  H0: number;
  R0: number;
  A: number;
  n: number;
  lambda: number;
  alpha: number;
  beta: number;
  /** Reference time t0 (a): 422.45 a for B, 15 208 a for C with the defaults. */
  t0: number;
  /** Thickness (m) at time t (a), radius r (m). */
  thk(t: number, r: number): number;
  /** Accumulation M (m a⁻¹) at t, r (0 outside the ice). */
  smb(t: number, r: number): number;
  /** Dome height (m) at t. */
  dome(t: number): number;
  /** Margin radius (m) at t. */
  margin(t: number): number;
  /** Exact ice volume (m³) at t. */
  volume(t: number): number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, ~15 digits). */
export function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Builds the exact solution of a Bueler test case. */
export function buelerSolution(c: BuelerCase): BuelerSolution {
  const H0 = c.H0 ?? 3600;
  const R0 = c.R0 ?? 750e3;
  const A = c.A ?? 100;
  const n = c.n ?? 3;
  const lambda = c.test === 'C' ? 5 : 0;
  const alpha = (2 - (n + 1) * lambda) / (5 * n + 3);
  const beta = (1 + (2 * n + 1) * lambda) / (5 * n + 3);
  const gamma = A * siaGammaPerA(n);
  const t0 = (beta / gamma) * Math.pow((2 * n + 1) / (n + 1), n) * (Math.pow(R0, n + 1) / Math.pow(H0, 2 * n + 1));
  const p = (n + 1) / n;
  const q = n / (2 * n + 1);
  // ∫₀¹ (1 − ρ^p)^q ρ dρ = B(2/p, q+1)/p
  const shape = Math.exp(lnGamma(2 / p) + lnGamma(q + 1) - lnGamma(2 / p + q + 1)) / p;
  const dome = (t: number) => H0 * Math.pow(t / t0, -alpha);
  const margin = (t: number) => R0 * Math.pow(t / t0, beta);
  const thk = (t: number, r: number) => {
    const x = r / margin(t);
    return x >= 1 ? 0 : dome(t) * Math.pow(1 - Math.pow(x, p), q);
  };
  return {
    H0, R0, A, n, lambda, alpha, beta, t0, thk, dome, margin,
    smb: (t, r) => (lambda === 0 ? 0 : (lambda / t) * thk(t, r)),
    volume: (t) => 2 * Math.PI * dome(t) * margin(t) ** 2 * shape,
  };
}
