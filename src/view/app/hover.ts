/**
 * Hover readout over the map: the cell under the pointer, its value, its
 * x/y coordinates and, where the variable has a CRS, longitude / latitude.
 */
import proj4 from 'proj4';
import type { CoordMeta, VarMeta } from '../protocol.js';

export interface HoverState {
  v: VarMeta;
  data: Float32Array;
  ny: number;
  nx: number;
  stride: number[];
  flipY: boolean;
  coords: Record<string, CoordMeta>;
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(7))) : String(x));

/** Text of the readout for canvas pixel (cx, cy), or '' outside the map. */
export function readoutAt(s: HoverState, cx: number, cy: number): string {
  if (!s.v.map || cx < 0 || cy < 0 || cx >= s.nx || cy >= s.ny) return '';
  const i = cx;
  const j = s.flipY ? s.ny - 1 - cy : cy;
  const v = s.data[j * s.nx + i];
  const gi = i * s.stride[1];
  const gj = j * s.stride[0];
  const yDim = s.v.dims[s.v.map.y];
  const xDim = s.v.dims[s.v.map.x];
  const units = typeof s.v.attrs.units === 'string' ? ` ${s.v.attrs.units}` : '';
  const parts = [`${s.v.name} = ${Number.isNaN(v) ? 'NaN' : fmt(v)}${units}`, `${yDim}[${gj}], ${xDim}[${gi}]`];
  const x = s.coords[xDim]?.values[gi];
  const y = s.coords[yDim]?.values[gj];
  if (x !== undefined && y !== undefined) {
    parts.push(`${xDim} = ${fmt(x)}, ${yDim} = ${fmt(y)}`);
    const crs = s.v.crs;
    if (crs && !crs.geographic) {
      try {
        const [lon, lat] = proj4(crs.def, 'EPSG:4326', [x, y]);
        parts.push(`lon ${lon.toFixed(5)}, lat ${lat.toFixed(5)}`);
      } catch {
        // an unusable CRS leaves the projected coordinates only
      }
    }
  }
  return parts.join('   ');
}

/** Show the readout in `out` while the pointer moves over `canvas` (one canvas pixel per slab cell). */
export function attachHover(canvas: HTMLCanvasElement, out: HTMLElement, current: () => HoverState | undefined): void {
  canvas.addEventListener('mousemove', (ev) => {
    const s = current();
    if (!s) return;
    const r = canvas.getBoundingClientRect();
    const cx = Math.floor(((ev.clientX - r.left) / r.width) * canvas.width);
    const cy = Math.floor(((ev.clientY - r.top) / r.height) * canvas.height);
    out.textContent = readoutAt(s, cx, cy);
  });
}
