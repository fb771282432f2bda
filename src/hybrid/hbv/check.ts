/**
 * Input check of the HBV kernel: forcings must be finite and every parameter
 * inside its physical bounds (HBV_BOUNDS), or the loop would return NaN
 * discharge (or silently nonsense) with no word of why. O(n), before the loop.
 */
import { NunatakError } from '../../core/errors.js';
import { HBV_BASE, HBV_BOUNDS, type HbvFlags } from './params.js';
import type { HbvProblem } from './kernel.js';

/** Kernel-order parameter names for `flags` (as hbvLayout builds them). */
function names(flags: HbvFlags): string[] {
  return [...HBV_BASE, ...(flags.betaet ? ['BETAET'] : []), ...(flags.capillary ? ['C'] : []), ...(flags.leakage ? ['RT', 'AC'] : [])];
}

function inBounds(name: string, v: number): boolean {
  const b = HBV_BOUNDS[name];
  if (!b) return Number.isFinite(v);
  const slack = 1e-9 * (b.hi - b.lo); // sigmoid scaling may round a hair past a bound
  return v >= b.lo - slack && v <= b.hi + slack;
}

/** Throws NunatakError('INPUT') naming the series / parameter, day and basin. */
export function checkHbvProblem(pr: HbvProblem, flags: HbvFlags): void {
  const { nt, nb, nm, np } = pr;
  for (const [what, a] of [['precipitation P', pr.P], ['temperature T', pr.T], ['PET', pr.PET]] as const) {
    for (let k = 0; k < nt * nb; k++) {
      if (!Number.isFinite(a[k])) {
        throw new NunatakError('INPUT', `HBV: forcing ${what} is ${a[k]} on day ${Math.floor(k / nb)}, basin ${k % nb}`, { hint: 'fill or drop missing forcing days before running the model' });
      }
    }
  }
  const nm_ = names(flags);
  const dyn = new Set(pr.dynIndex ?? []);
  const bad = (name: string, v: number, where: string) => {
    const b = HBV_BOUNDS[name];
    return new NunatakError('INPUT', `HBV: parameter ${name} = ${v} ${where} is outside its bounds${b ? ` [${b.lo}, ${b.hi}] ${b.unit}` : ''}`, { hint: 'parameters come from the NN scaled into HBV_BOUNDS; a hand-set value must lie inside them' });
  };
  for (let b = 0; b < nb; b++) {
    for (let i = 0; i < np; i++) {
      if (dyn.has(i)) continue;
      for (let m = 0; m < nm; m++) {
        const v = pr.params[(b * np + i) * nm + m];
        if (!inBounds(nm_[i], v)) throw bad(nm_[i], v, `(basin ${b}, component ${m})`);
      }
    }
  }
  if (pr.dyn && pr.dynIndex) {
    const nd = pr.dynIndex.length;
    for (let k = 0; k < pr.dyn.length; k++) {
      const i = pr.dynIndex[Math.floor(k / nm) % nd];
      if (!inBounds(nm_[i], pr.dyn[k])) throw bad(nm_[i], pr.dyn[k], `(dynamic, day ${Math.floor(k / (nb * nd * nm))})`);
    }
  }
}
