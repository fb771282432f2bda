/** Grey-scale PNG of a 2-D result (min–max scaled; NaN drawn black), for live plots. */
import { writeFileSync, renameSync } from 'node:fs';
import { PNG } from 'pngjs';
import { NunatakError } from '../core/errors.js';
import type { TypedArray } from './dtype.js';

export function writePng2d(path: string, data: TypedArray, shape: number[]): void {
  const dims = shape.filter((s) => s > 1);
  if (dims.length !== 2 && !(dims.length === 1 && shape.length >= 2)) {
    throw new NunatakError('SHAPE', `cannot draw a result of shape ${JSON.stringify(shape)} as an image`, { hint: 'only 2-D results are drawn' });
  }
  const [h, w] = shape.length === 2 ? shape : dims;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < h * w; i++) {
    const v = data[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const png = new PNG({ width: w, height: h });
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < h * w; i++) {
    const v = data[i];
    const g = Number.isFinite(v) ? Math.round(((v - lo) / span) * 255) : 0;
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = g;
    png.data[4 * i + 3] = 255;
  }
  // Write then rename, so a viewer refreshing the file never sees half a PNG.
  writeFileSync(path + '.tmp', PNG.sync.write(png));
  renameSync(path + '.tmp', path);
}
