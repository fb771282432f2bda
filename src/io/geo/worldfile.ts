/**
 * ESRI world files (`.tfw`, `.tifw`, `.wld`): six numbers A, D, B, E, C, F with
 * x = A·col + B·row + C, y = D·col + E·row + F, where (C, F) is the CENTRE of
 * the upper-left pixel (unlike GDAL's geotransform, which uses its corner).
 */
import { existsSync, readFileSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import type { GeoTransform } from './geotransform.js';

/** Parse world-file text into a GDAL-style geotransform (pixel-corner origin). */
export function parseWorldFile(text: string, path: string): GeoTransform {
  const nums = text
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map(Number);
  if (nums.length !== 6 || nums.some((v) => !Number.isFinite(v))) {
    throw new NunatakError('IO', `world file ${path}: expected 6 numbers (A D B E C F), got '${text.trim().slice(0, 80)}'`, {
      hint: 'a .tfw holds pixel size x, rotation, rotation, pixel size y (negative), x and y of the upper-left pixel centre',
    });
  }
  const [a, d, b, e, c, f] = nums;
  // Shift from the upper-left pixel centre to its outer corner.
  return [c - 0.5 * a - 0.5 * b, a, b, f - 0.5 * d - 0.5 * e, d, e];
}

/** Candidate world-file paths for a raster: x.tfw, x.tifw, x.wld (and upper case). */
export function worldFileCandidates(rasterPath: string): string[] {
  const base = rasterPath.replace(/\.[^./\\]+$/, '');
  return ['.tfw', '.tifw', '.wld', '.TFW', '.TIFW', '.WLD'].map((ext) => base + ext);
}

/** Read the world file beside `rasterPath`, or undefined when there is none. */
export function readWorldFileFor(rasterPath: string): { path: string; transform: GeoTransform } | undefined {
  for (const p of worldFileCandidates(rasterPath)) {
    if (existsSync(p)) return { path: p, transform: parseWorldFile(readFileSync(p, 'utf8'), p) };
  }
  return undefined;
}
