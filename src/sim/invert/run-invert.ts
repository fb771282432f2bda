/**
 * `nunatak invert`: read an observation file, invert, write the results.
 * The options, their types, units and defaults are the `optimize` module's
 * (modules/processes/optimize.yaml), so the command and the module agree.
 */
import { parse as parseYaml, stringify } from 'yaml';
import { NunatakError } from '../../core/errors.js';
import { coerceValue, type ConfigTree } from '../../core/config/index.js';
import { invertOptionSpecs } from './option-specs.js';
import { invertThickness, type InversionResult } from './invert.js';
import type { InversionData } from './objective.js';
import type { InversionOptions } from './options.js';
import { readObservations } from './read.js';
import { writeInversion } from './write.js';

/** Command-line strings → typed options (lists as `a,b` or `[a, b]`). */
export function parseInvertOptions(raw: Record<string, string | undefined>): InversionOptions {
  const out: ConfigTree = {};
  for (const [key, spec] of invertOptionSpecs()) {
    const text = raw[key];
    if (text === undefined) {
      out[key] = spec.default;
      continue;
    }
    const src = spec.type === 'list' && !text.trim().startsWith('[') ? `[${text}]` : text;
    out[key] = coerceValue(spec, parseYaml(src) as unknown, { where: 'command line', key: `--${key}` });
  }
  return out as unknown as InversionOptions;
}

/** Invert the observations in `file`, write into `outDir`; returns the result and the files written. */
export async function runInvert(file: string, outDir: string, options: InversionOptions, onIter?: (it: number, total: number) => void): Promise<{ result: InversionResult; files: string[] }> {
  const obs = await readObservations(file);
  const f = obs.fields;
  const surface = f.usurfobs ?? f.usurf;
  if (!surface) throw new NunatakError('INPUT', `${file} has no surface elevation (usurfobs or usurf)`, { hint: 'the inversion needs the observed surface elevation (m) on (y, x)' });
  if (!f.icemask) throw new NunatakError('INPUT', `${file} has no 'icemask'`, { hint: 'give the glacier outline as icemask (1 inside, 0 outside) on the same grid' });
  const g = obs.grid;
  const data: InversionData = {
    grid: { nx: g.nx, ny: g.ny, dx: Math.abs(g.dx), dy: Math.abs(g.dy) },
    usurfobs: surface.data,
    icemask: f.icemask.data,
    uvelsurfobs: f.uvelsurfobs?.data,
    vvelsurfobs: f.vvelsurfobs?.data,
    thkobs: f.thkobs?.data,
    smb: f.smb?.data,
    dhdt: f.dhdt?.data,
    thkinit: f.thkinit?.data,
    slidingco: f.slidingco?.data,
  };
  const result = invertThickness(data, { ...options, onIter: (it, c) => onIter?.(it, c.total) });
  const files = await writeInversion(outDir, g, result, data, { config: stringify({ invert: { input: file, ...options } }) });
  return { result, files };
}
