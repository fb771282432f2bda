/**
 * SVG building blocks shared by maps and charts, and rasterising SVG to PNG
 * with resvg using the bundled DejaVu Sans font (no system fonts needed).
 */
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Resvg } from '@resvg/resvg-js';
import { NunatakError } from '../../core/errors.js';

/** The font every plot uses; shipped in assets/fonts (Bitstream Vera licence). */
export const FONT_FAMILY = 'DejaVu Sans';
const FONT_FILE = fileURLToPath(new URL('../../../assets/fonts/DejaVuSans.ttf', import.meta.url));

/** Escape text for SVG content / attributes. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An SVG <text> element. */
export function text(x: number, y: number, s: string, opts: { size?: number; anchor?: 'start' | 'middle' | 'end'; rotate?: number; baseline?: 'middle' | 'auto' | 'hanging'; fill?: string } = {}): string {
  const rot = opts.rotate ? ` transform="rotate(${opts.rotate} ${x} ${y})"` : '';
  const base = opts.baseline && opts.baseline !== 'auto' ? ` dominant-baseline="${opts.baseline === 'middle' ? 'central' : 'hanging'}"` : '';
  return `<text x="${x}" y="${y}" font-size="${opts.size ?? 13}" text-anchor="${opts.anchor ?? 'start'}" fill="${opts.fill ?? '#222'}"${base}${rot}>${esc(s)}</text>`;
}

/** Encode RGBA pixels (width × height × 4, row-major) as a PNG buffer. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png);
}

/** An SVG <image> of RGBA pixels placed 1:1 at (x, y), without smoothing. */
export function imageElement(rgba: Uint8Array, width: number, height: number, x: number, y: number): string {
  const b64 = encodePng(rgba, width, height).toString('base64');
  return `<image x="${x}" y="${y}" width="${width}" height="${height}" image-rendering="optimizeSpeed" preserveAspectRatio="none" href="data:image/png;base64,${b64}"/>`;
}

/** Rasterise an SVG document to PNG at its own size (1 SVG unit = 1 pixel). */
export function svgToPng(svg: string): Buffer {
  if (!existsSync(FONT_FILE)) {
    throw new NunatakError('DEPENDENCY', `plot font ${FONT_FILE} is missing`, { hint: 'reinstall nunatak; assets/fonts ships DejaVu Sans' });
  }
  const r = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    imageRendering: 1,
    fitTo: { mode: 'original' },
  });
  return r.render().asPng();
}
