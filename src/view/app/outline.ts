/**
 * Outline overlay: served polygon shapefiles, reprojected by the server to
 * the CRS of the map shown, stroked over the map on a display-resolution
 * canvas. Vertices go from map coordinates to canvas pixels through the
 * variable's x/y coordinate values (regular grids: first value and spacing).
 */
import type { CoordMeta, OutlineData, OutlineEntry, VarMeta } from '../protocol.js';
import { getJson, idPath } from './api.js';

export type Rings = OutlineData['rings'];

let listed: Promise<OutlineEntry[]> | undefined;

/** Rings of every served shapefile in the CRS of `v` of file `fileId`; [] when `v` has no CRS or nothing is served. */
export async function outlinesFor(fileId: string, v: VarMeta): Promise<Rings> {
  if (!v.crs || !v.map) return [];
  listed ??= getJson<OutlineEntry[]>('/api/outlines');
  const shps = await listed;
  const q = new URLSearchParams({ for: fileId, var: v.name });
  const all = await Promise.all(shps.map((s) => getJson<OutlineData>(`/api/outline/${idPath(s.id)}?${q}`)));
  return all.flatMap((o) => o.rings);
}

/** Where a map's slab lies: its shape and stride over the full grid, the grid's coordinates and orientation. */
export interface OutlineGeom {
  v: VarMeta;
  coords: Record<string, CoordMeta>;
  ny: number;
  nx: number;
  stride: number[];
  flipY: boolean;
}

/**
 * Canvas-pixel position (fractions of slab cells, 0 = left / top edge) of map
 * coordinate (x, y); undefined without regular x/y coordinates. Slab cell k
 * along an axis is grid cell k·stride, centred at pixel k + 0.5.
 */
export function cellPixel(g: OutlineGeom, x: number, y: number): [number, number] | undefined {
  const xs = g.coords[g.v.dims[g.v.map!.x]]?.values;
  const ys = g.coords[g.v.dims[g.v.map!.y]]?.values;
  if (!xs || !ys || xs.length < 2 || ys.length < 2) return undefined;
  const px = (x - xs[0]) / (xs[1] - xs[0]) / g.stride[1] + 0.5;
  const pyData = (y - ys[0]) / (ys[1] - ys[0]) / g.stride[0] + 0.5;
  return [px, g.flipY ? g.ny - pyData : pyData];
}

/** Stroke `rings` with `ctx` at sx × sy display px per slab cell; returns the vertices placed (0 without regular x/y coordinates). */
export function strokeRings(ctx: CanvasRenderingContext2D, rings: Rings, g: OutlineGeom, sx: number, sy: number): number {
  if (rings.length === 0 || !cellPixel(g, 0, 0)) return 0;
  ctx.save();
  ctx.strokeStyle = '#ff2d2d';
  ctx.lineWidth = 2;
  ctx.beginPath();
  let n = 0;
  for (const r of rings) {
    r.forEach(([x, y], k) => {
      const [px, py] = cellPixel(g, x, y)!;
      if (k === 0) ctx.moveTo(px * sx, py * sy);
      else ctx.lineTo(px * sx, py * sy);
      n++;
    });
    ctx.closePath();
  }
  ctx.stroke();
  ctx.restore();
  return n;
}

/** Size `canvas` to the map's display box (w × h CSS px), clear it and, when `on`, stroke `rings`; returns the vertices placed. */
export function drawOutline(canvas: HTMLCanvasElement, w: number, h: number, rings: Rings, g: OutlineGeom, on: boolean): number {
  canvas.width = Math.round(w);
  canvas.height = Math.round(h);
  canvas.style.width = `${canvas.width}px`;
  canvas.style.height = `${canvas.height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  return on ? strokeRings(ctx, rings, g, canvas.width / g.nx, canvas.height / g.ny) : 0;
}
