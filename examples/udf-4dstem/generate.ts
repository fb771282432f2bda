/**
 * Synthetic 4D-STEM scan: at every scan position a bright diffraction disk
 * (radius `disk` px, anti-aliased by 4×4 supersampling) on a weak background,
 * shifted by a known rotational field s(j, i) = ω·(i − ci, −(j − cj)) (y, x in
 * pixels), so the centre of mass recovers it, its curl is −2ω and its
 * divergence 0. A dark-field "grain" (brighter ring scattering) sits in one
 * quadrant of the scan. Written as raw little-endian float32, C order
 * (scanY, scanX, detY, detX).
 *
 * npx tsx examples/udf-4dstem/generate.ts [out.raw] [scan=128] [det=128]
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface ScanOptions {
  scan: number;
  det: number;
  /** Disk radius (px). */
  disk?: number;
  /** Shift field strength ω (px per scan step). */
  omega?: number;
}

export function shiftAt(o: ScanOptions, j: number, i: number): [number, number] {
  const w = o.omega ?? 0.05;
  const c = (o.scan - 1) / 2;
  return [w * (i - c), -w * (j - c)];
}

export function generate(path: string, o: ScanOptions): void {
  const { scan, det } = o;
  const r = o.disk ?? det / 8;
  const frame = new Float32Array(det * det);
  const fd = openSync(path, 'w');
  const c = (det - 1) / 2;
  for (let j = 0; j < scan; j++) {
    for (let i = 0; i < scan; i++) {
      const [sy, sx] = shiftAt(o, j, i);
      const grain = j < scan / 2 && i < scan / 2;
      for (let y = 0; y < det; y++) {
        for (let x = 0; x < det; x++) {
          let v = 0;
          for (let a = 0; a < 4; a++) {
            for (let b = 0; b < 4; b++) {
              const d = Math.hypot(y + (a + 0.5) / 4 - 0.5 - (c + sy), x + (b + 0.5) / 4 - 0.5 - (c + sx));
              if (d <= r) v += 1 / 16;
              else if (grain && d > 2 * r && d < 3 * r) v += 0.05 / 16;
            }
          }
          frame[y * det + x] = 100 * v;
        }
      }
      writeSync(fd, new Uint8Array(frame.buffer));
    }
  }
  closeSync(fd);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out = 'scan.raw', scan = '128', det = '128'] = process.argv.slice(2);
  generate(out, { scan: Number(scan), det: Number(det) });
  console.log(`wrote ${out}: scan ${scan}×${scan}, detector ${det}×${det} float32`);
}
