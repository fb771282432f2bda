/**
 * CoMUDF: centre of mass of every frame of a 2-D signal (pixel units, y then
 * x), optionally within a disk of radius `r` around the centre, and the
 * derived field over a 2-D scan.
 *
 *   raw_com    (nav, [2]): (y, x) centre of mass
 *   raw_shifts (nav, [2]): raw_com − (cy, cx)
 *   field_y, field_x (nav): shifts after optional y flip, then a counter-
 *       clockwise rotation by `scanRotation` degrees:
 *       fx = cos θ·sx − sin θ·sy,  fy = sin θ·sx + cos θ·sy
 *   magnitude (nav): |field|
 *   divergence, curl (nav): ∂fy/∂y + ∂fx/∂x and ∂fx/∂y − ∂fy/∂x over the
 *       scan grid, central differences inside and one-sided at the edges
 *       (as numpy.gradient, unit spacing); NaN next to positions outside the
 *       ROI and for scans that are not 2-D.
 */
import { NunatakError } from '../../core/errors.js';
import type { TypedArray } from '../dtype.js';
import { UDF, udfEntry, type Buffers } from '../udf.js';

export interface CoMParams {
  /** Centre (pixels); default: the middle of the signal ((h−1)/2, (w−1)/2). */
  cy?: number;
  cx?: number;
  /** Only pixels within this distance of the centre count (default: all). */
  r?: number;
  flipY?: boolean;
  /** Degrees, counter-clockwise. */
  scanRotation?: number;
}

export class CoMUDF extends UDF<CoMParams> {
  static override entry = udfEntry(import.meta.url, 'CoMUDF');

  getResultBuffers() {
    if (this.meta.sigShape.length !== 2) {
      throw new NunatakError('SHAPE', `CoMUDF needs a 2-D signal, got sigShape ${JSON.stringify(this.meta.sigShape)}`);
    }
    // Positions and shifts are in signal pixels (dimensionless indices), as are their derivatives.
    const nav = (extra?: number[], use?: 'result_only') => this.buffer({ kind: 'nav', extraShape: extra, dtype: 'float64', use, units: '1' });
    return {
      raw_com: nav([2]),
      raw_shifts: nav([2], 'result_only'),
      field_y: nav(undefined, 'result_only'),
      field_x: nav(undefined, 'result_only'),
      magnitude: nav(undefined, 'result_only'),
      divergence: nav(undefined, 'result_only'),
      curl: nav(undefined, 'result_only'),
    };
  }

  private centre(): [number, number] {
    const [h, w] = this.meta.sigShape;
    return [this.params.cy ?? (h - 1) / 2, this.params.cx ?? (w - 1) / 2];
  }

  processFrame(frame: TypedArray): void {
    const [h, w] = this.meta.sigShape;
    const [cy, cx] = this.centre();
    const r2 = this.params.r === undefined ? Infinity : this.params.r * this.params.r;
    let s = 0;
    let sy = 0;
    let sx = 0;
    for (let y = 0; y < h; y++) {
      const dy2 = (y - cy) * (y - cy);
      for (let x = 0; x < w; x++) {
        if (dy2 + (x - cx) * (x - cx) > r2) continue;
        const v = frame[y * w + x];
        s += v;
        sy += v * y;
        sx += v * x;
      }
    }
    const out = this.results.raw_com;
    out[0] = sy / s;
    out[1] = sx / s;
  }

  override getResults(): Buffers {
    const com = this.results.raw_com;
    const n = com.length / 2;
    const [cy, cx] = this.centre();
    const shifts = new Float64Array(2 * n);
    const fy = new Float64Array(n);
    const fx = new Float64Array(n);
    const mag = new Float64Array(n);
    const th = ((this.params.scanRotation ?? 0) * Math.PI) / 180;
    const c = Math.cos(th);
    const s = Math.sin(th);
    for (let k = 0; k < n; k++) {
      let sy = com[2 * k] - cy;
      const sx = com[2 * k + 1] - cx;
      shifts[2 * k] = sy;
      shifts[2 * k + 1] = sx;
      if (this.params.flipY) sy = -sy;
      fx[k] = c * sx - s * sy;
      fy[k] = s * sx + c * sy;
      mag[k] = Math.hypot(fx[k], fy[k]);
    }
    const { divergence, curl } = divCurl(fy, fx, this.meta.navShape, this.meta.roi);
    return { raw_shifts: shifts, field_y: fy, field_x: fx, magnitude: mag, divergence, curl };
  }
}

/** numpy.gradient-style derivative of a full grid along one axis at (j, i). */
function grad(a: Float64Array, h: number, w: number, j: number, i: number, axis: 0 | 1): number {
  const at = (jj: number, ii: number) => a[jj * w + ii];
  if (axis === 0) {
    if (h < 2) return NaN;
    if (j === 0) return at(1, i) - at(0, i);
    if (j === h - 1) return at(h - 1, i) - at(h - 2, i);
    return (at(j + 1, i) - at(j - 1, i)) / 2;
  }
  if (w < 2) return NaN;
  if (i === 0) return at(j, 1) - at(j, 0);
  if (i === w - 1) return at(j, w - 1) - at(j, w - 2);
  return (at(j, i + 1) - at(j, i - 1)) / 2;
}

/** Divergence and curl over a 2-D nav grid, ROI-compressed in and out. */
export function divCurl(fy: Float64Array, fx: Float64Array, navShape: number[], roi: Uint8Array | null) {
  const n = fy.length;
  const divergence = new Float64Array(n).fill(NaN);
  const curl = new Float64Array(n).fill(NaN);
  if (navShape.length !== 2) return { divergence, curl };
  const [h, w] = navShape;
  const FY = new Float64Array(h * w).fill(NaN);
  const FX = new Float64Array(h * w).fill(NaN);
  const where: number[] = [];
  for (let p = 0, k = 0; p < h * w; p++) {
    if (roi && !roi[p]) continue;
    FY[p] = fy[k];
    FX[p] = fx[k];
    where.push(p);
    k++;
  }
  where.forEach((p, k) => {
    const j = Math.floor(p / w);
    const i = p % w;
    divergence[k] = grad(FY, h, w, j, i, 0) + grad(FX, h, w, j, i, 1);
    curl[k] = grad(FX, h, w, j, i, 0) - grad(FY, h, w, j, i, 1);
  });
  return { divergence, curl };
}
