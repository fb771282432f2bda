/**
 * Named colormaps (matplotlib's 256-level tables, see colormap-data.ts) and the
 * value → colour mapping used by maps and colorbars.
 */
import { NunatakError, didYouMean } from '../../core/errors.js';
import { COLORMAP_HEX } from './colormap-data.js';

/** An RGB colour, 0–255 per channel. */
export type Rgb = [number, number, number];

/** A colormap: 256 RGB levels from low (index 0) to high (255). */
export interface Colormap {
  name: string;
  levels: Rgb[];
}

const cache = new Map<string, Colormap>();

/** Names accepted by `getColormap` (case-insensitive; "blues" = "Blues"). */
export function colormapNames(): string[] {
  return Object.keys(COLORMAP_HEX);
}

/** Look up a colormap by name (case-insensitive). Unknown → NunatakError('CONFIG') with suggestions. */
export function getColormap(name: string): Colormap {
  const key = colormapNames().find((n) => n.toLowerCase() === name.toLowerCase());
  if (!key) {
    throw new NunatakError('CONFIG', `unknown colormap '${name}'${didYouMean(name, colormapNames())}`, {
      hint: `available: ${colormapNames().join(', ')}`,
    });
  }
  let cm = cache.get(key);
  if (!cm) {
    const hex = COLORMAP_HEX[key];
    const levels: Rgb[] = [];
    for (let k = 0; k < hex.length; k += 6) {
      levels.push([parseInt(hex.slice(k, k + 2), 16), parseInt(hex.slice(k + 2, k + 4), 16), parseInt(hex.slice(k + 4, k + 6), 16)]);
    }
    cm = { name: key, levels };
    cache.set(key, cm);
  }
  return cm;
}

/** Colour for t in [0, 1] (clamped), nearest of the 256 levels as matplotlib does. */
export function colorAt(cm: Colormap, t: number): Rgb {
  const n = cm.levels.length;
  const k = Math.min(n - 1, Math.max(0, Math.floor(t * n)));
  return cm.levels[k];
}

/** CSS hex string for an RGB colour. */
export function rgbHex(c: Rgb): string {
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}
