/**
 * Paint a (y, x) slab on a canvas, one canvas pixel per (strided) cell, with
 * a 256-level colormap; NaN cells are transparent. North is up: a slab whose
 * y coordinate increases with the row index is drawn bottom to top.
 */
import { colorAt, getColormap } from '../../io/plot/colormap.js';

export interface MapView {
  /** Row of the canvas for data row j. */
  canvasRow(j: number): number;
  ny: number;
  nx: number;
}

export function drawMap(canvas: HTMLCanvasElement, data: Float32Array, ny: number, nx: number, cmap: string, vmin: number, vmax: number, flipY: boolean): MapView {
  canvas.width = nx;
  canvas.height = ny;
  // display at least ~600 px wide for small grids, keeping square cells
  const scale = Math.max(1, Math.floor(600 / Math.max(nx, ny)));
  canvas.style.width = `${nx * scale}px`;
  canvas.style.height = `${ny * scale}px`;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(nx, ny);
  const cm = getColormap(cmap);
  const span = vmax - vmin;
  for (let j = 0; j < ny; j++) {
    const row = flipY ? ny - 1 - j : j;
    for (let i = 0; i < nx; i++) {
      const v = data[j * nx + i];
      const o = (row * nx + i) * 4;
      if (!Number.isFinite(v)) continue; // alpha 0
      const [r, g, b] = colorAt(cm, span > 0 ? (v - vmin) / span : 0.5);
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { ny, nx, canvasRow: (j) => (flipY ? ny - 1 - j : j) };
}

/** The colorbar strip: 256 levels left (min) to right (max). */
export function drawColorbar(canvas: HTMLCanvasElement, cmap: string): void {
  const ctx = canvas.getContext('2d')!;
  const cm = getColormap(cmap);
  cm.levels.forEach(([r, g, b], k) => {
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(k, 0, 1, canvas.height);
  });
}
