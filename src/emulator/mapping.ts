/**
 * Input/output channel mappings: DLE's maptype presets, its scaling values
 * (`naturalbounds`) and the `fieldin.dat` / `fieldout.dat` files. Scaling is a
 * pure division (X = field / bound), as in DLE and IGM.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError, didYouMean } from '../core/errors.js';

export interface Channel {
  name: string;
  /** Scaling value, in the field's units. */
  bound: number;
}

export interface Mapping {
  inputs: Channel[];
  outputs: Channel[];
  /** True for glacier (f-) maptypes: turns on the ice-thickness patch filter. */
  ice: boolean;
}

/** DLE `naturalbounds` (units of each field: m, 1, m/a, …). */
export const NATURAL_BOUNDS: Record<string, number> = {
  thk: 2000,
  slopsurfx: 1.5,
  slopsurfy: 1.5,
  slopsurfn: 1.5,
  ubar: 1000,
  vbar: 1000,
  uvelsurf: 1000,
  vvelsurf: 1000,
  uvelbase: 1000,
  vvelbase: 1000,
  strflowctrl: 200,
  arrhenius: 100,
  slidingco: 100,
};

/** Units of the known fields (for plots and docs). */
export const FIELD_UNITS: Record<string, string> = {
  thk: 'm', usurf: 'm', slopsurfx: '1', slopsurfy: '1', slopsurfn: '1',
  ubar: 'm a-1', vbar: 'm a-1', uvelsurf: 'm a-1', vvelsurf: 'm a-1', uvelbase: 'm a-1', vvelbase: 'm a-1',
  arrhenius: 'MPa-3 a-1',
};

const F2_IN = ['thk', 'slopsurfx', 'slopsurfy'];
const F10_IN = [...F2_IN, 'strflowctrl'];
const F11_IN = [...F2_IN, 'arrhenius', 'slidingco'];
const UV = ['ubar', 'vbar'];
const UVS = ['ubar', 'vbar', 'uvelsurf', 'vvelsurf'];
const UVBS = ['uvelbase', 'vvelbase', 'ubar', 'vbar', 'uvelsurf', 'vvelsurf'];

/** DLE `set_pre_defined_mapping`. */
export const MAPTYPE_PRESETS: Record<string, { inputs: string[]; outputs: string[] }> = {
  f2: { inputs: F2_IN, outputs: UV },
  f10: { inputs: F10_IN, outputs: UV },
  f11: { inputs: F11_IN, outputs: UV },
  f12: { inputs: F10_IN, outputs: UVS },
  f13: { inputs: F11_IN, outputs: UVS },
  f14: { inputs: F10_IN, outputs: UVBS },
  f15: { inputs: F11_IN, outputs: UVBS },
};

const withBounds = (names: string[]): Channel[] => names.map((name) => ({ name, bound: NATURAL_BOUNDS[name] }));

/** A preset key, or a folder holding fieldin.dat and fieldout.dat. */
export function resolveMapping(maptype: string): Mapping {
  const preset = MAPTYPE_PRESETS[maptype];
  if (preset) return { inputs: withBounds(preset.inputs), outputs: withBounds(preset.outputs), ice: true };
  if (existsSync(maptype) && statSync(maptype).isDirectory()) {
    const base = maptype.split(/[\\/]/).filter(Boolean).pop() ?? '';
    return {
      inputs: readFieldDat(join(maptype, 'fieldin.dat')),
      outputs: readFieldDat(join(maptype, 'fieldout.dat')),
      ice: base.startsWith('f'),
    };
  }
  throw new NunatakError('CONFIG', `maptype '${maptype}' is neither a preset nor a folder${didYouMean(maptype, Object.keys(MAPTYPE_PRESETS))}`, {
    hint: `use one of ${Object.keys(MAPTYPE_PRESETS).join(', ')} or a folder with fieldin.dat and fieldout.dat`,
  });
}

/** Parse DLE's `name value` per line format (channel order = line order). */
export function parseFieldDat(text: string, file = 'field.dat'): Channel[] {
  const out: Channel[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const parts = line.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return;
    const bound = Number(parts[1]);
    if (parts.length < 2 || !Number.isFinite(bound) || bound === 0) {
      throw new NunatakError('IO', `${file}:${i + 1}: expected 'name scaling' with a non-zero number, got '${line.trim()}'`);
    }
    out.push({ name: parts[0], bound });
  });
  if (out.length === 0) throw new NunatakError('IO', `${file}: no channels listed`, { hint: "one 'name scaling' per line" });
  return out;
}

export function readFieldDat(file: string): Channel[] {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `channel file ${file} does not exist`, { hint: "one 'name scaling' per line, e.g. 'thk 2000.000000'" });
  return parseFieldDat(readFileSync(file, 'utf8'), file);
}

/** DLE's exact writer: `"%s %.6f \n"` per channel. */
export function formatFieldDat(channels: Channel[]): string {
  return channels.map((c) => `${c.name} ${c.bound.toFixed(6)} \n`).join('');
}

export function writeFieldDat(file: string, channels: Channel[]): void {
  writeFileSync(file, formatFieldDat(channels));
}

/**
 * Vector components: name → [partner, axis]. Used by augmentation (negate or
 * swap under flips / transposes) and documented in docs/emulator.md.
 */
export const VECTOR_COMPONENTS: Record<string, { partner: string; axis: 'x' | 'y' }> = {
  slopsurfx: { partner: 'slopsurfy', axis: 'x' },
  slopsurfy: { partner: 'slopsurfx', axis: 'y' },
  ubar: { partner: 'vbar', axis: 'x' },
  vbar: { partner: 'ubar', axis: 'y' },
  uvelsurf: { partner: 'vvelsurf', axis: 'x' },
  vvelsurf: { partner: 'uvelsurf', axis: 'y' },
  uvelbase: { partner: 'vvelbase', axis: 'x' },
  vvelbase: { partner: 'uvelbase', axis: 'y' },
};
