/**
 * Input checks of the inversion: every array on the grid, a non-empty mask,
 * finite surface elevation on it, observations that are not all missing,
 * sane standard deviations. Errors name the variable and say what was expected.
 */
import { NunatakError } from '../../core/errors.js';
import type { InversionData } from './objective.js';
import type { InversionOptions } from './options.js';

const FIELDS = ['usurfobs', 'icemask', 'uvelsurfobs', 'vvelsurfobs', 'thkobs', 'smb', 'dhdt', 'thkinit', 'slidingco'] as const;

/** Throws a NunatakError when `d` / `o` cannot be inverted. */
export function validateInversion(d: InversionData, o: InversionOptions): void {
  const { nx, ny, dx, dy } = d.grid;
  if (!(Number.isInteger(nx) && Number.isInteger(ny) && nx >= 3 && ny >= 3)) {
    throw new NunatakError('SHAPE', `inversion grid ${ny}×${nx} is too small`, { hint: 'the inversion needs at least 3×3 cells' });
  }
  if (!(dx > 0 && dy > 0)) throw new NunatakError('SHAPE', `inversion grid spacing dx = ${dx}, dy = ${dy} m must be > 0`);
  const n = nx * ny;
  for (const name of FIELDS) {
    const a = d[name];
    if (a === undefined) continue;
    if (a.length !== n) {
      throw new NunatakError('SHAPE', `inversion: '${name}' has ${a.length} values, the grid of usurfobs is ${ny}×${nx} = ${n}`, {
        hint: `give every observation on the same grid as usurfobs (resample '${name}' first)`,
      });
    }
  }
  let cells = 0;
  for (let k = 0; k < n; k++) {
    if (!(d.icemask[k] > 0.5)) continue;
    cells++;
    if (!Number.isFinite(d.usurfobs[k])) {
      throw new NunatakError('INPUT', `inversion: usurfobs is ${d.usurfobs[k]} at cell (${(k - (k % nx)) / nx}, ${k % nx}) inside icemask`, {
        hint: 'the surface elevation must be finite wherever icemask = 1',
      });
    }
  }
  if (cells === 0) throw new NunatakError('INPUT', 'inversion: icemask is empty (no cell > 0.5)', { hint: 'give the glacier outline as icemask = 1 inside' });
  const anyFinite = (a: ArrayLike<number>) => {
    for (let k = 0; k < n; k++) if (d.icemask[k] > 0.5 && Number.isFinite(a[k])) return true;
    return false;
  };
  for (const name of ['uvelsurfobs', 'vvelsurfobs', 'thkobs', 'smb', 'dhdt'] as const) {
    const a = d[name];
    if (a !== undefined && !anyFinite(a)) {
      throw new NunatakError('INPUT', `inversion: '${name}' is NaN everywhere inside icemask`, { hint: `leave '${name}' out instead of giving it all NaN` });
    }
  }
  if ((d.uvelsurfobs === undefined) !== (d.vvelsurfobs === undefined)) {
    throw new NunatakError('INPUT', `inversion: '${d.uvelsurfobs ? 'vvelsurfobs' : 'uvelsurfobs'}' is missing`, { hint: 'give both surface velocity components' });
  }
  for (const name of ['smb', 'dhdt'] as const) {
    const a = d[name];
    if (a === undefined) continue;
    for (let k = 0; k < n; k++) {
      if (d.icemask[k] > 0.5 && !Number.isFinite(a[k])) {
        throw new NunatakError('INPUT', `inversion: '${name}' is ${a[k]} at cell (${(k - (k % nx)) / nx}, ${k % nx}) inside icemask`, { hint: `the flux-divergence target smb − dhdt needs '${name}' on the whole mask` });
      }
    }
  }
  const pos = ['usurfobs_std', 'velsurfobs_std', 'thkobs_std', 'divfluxobs_std', 'arrhenius', 'exp_glen', 'exp_weertman', 'thk_softness', 'smooth_anisotropy_factor'] as const;
  for (const k of pos) {
    if (!(o[k] > 0)) throw new NunatakError('CONFIG', `inversion option ${k} = ${o[k]} must be > 0`);
  }
  if (o.smooth_anisotropy_factor > 1) throw new NunatakError('CONFIG', `inversion option smooth_anisotropy_factor = ${o.smooth_anisotropy_factor} must be in (0, 1]`);
  for (const k of ['regu_param_thk', 'regu_param_slidingco', 'convexity_weight', 'slidingco'] as const) {
    if (!(o[k] >= 0)) throw new NunatakError('CONFIG', `inversion option ${k} = ${o[k]} must be ≥ 0`);
  }
  for (const c of o.control) {
    if (!['thk', 'usurf', 'slidingco'].includes(c)) throw new NunatakError('CONFIG', `inversion option control: unknown control '${c}'`, { hint: 'choose from thk, usurf, slidingco' });
  }
  for (const c of o.cost) {
    if (!['velsurf', 'thk', 'usurf', 'divflux'].includes(c)) throw new NunatakError('CONFIG', `inversion option cost: unknown term '${c}'`, { hint: 'choose from velsurf, thk, usurf, divflux' });
  }
  if (!o.control.includes('thk')) throw new NunatakError('CONFIG', `inversion control [${o.control.join(', ')}] must include thk`);
  if (o.control.includes('slidingco') && !(o.slidingco > 0) && d.slidingco === undefined) {
    throw new NunatakError('CONFIG', 'inversion: slidingco is a control but its start value is 0', { hint: 'set slidingco > 0 (e.g. 0.0464) or give a slidingco field' });
  }
  if (d.slidingco !== undefined) {
    for (let k = 0; k < n; k++) {
      if (d.icemask[k] > 0.5 && !(d.slidingco[k] > 0)) {
        throw new NunatakError('INPUT', `inversion: slidingco is ${d.slidingco[k]} inside icemask`, { hint: 'the sliding coefficient field must be > 0 on the mask' });
      }
    }
  }
  if (!(Number.isInteger(o.nbitmax) && o.nbitmax >= 1)) throw new NunatakError('CONFIG', `inversion option nbitmax = ${o.nbitmax} must be an integer ≥ 1`);
}
