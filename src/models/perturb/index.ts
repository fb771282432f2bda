/**
 * Ensemble initial perturbations. Member 0 is always the unperturbed control.
 * Member k's noise comes from its own seeded stream (seed, k), so the result
 * does not depend on batch size, worker count or restart (earth2mip #164:
 * noise re-applied per batch). The same field is added to every history level
 * (the history's tendencies stay unperturbed). Amplitudes are per channel, in
 * the channel's physical units (the RMS of the noise).
 */
import { NunatakError } from '../../core/errors.js';
import { size, type NdArray } from '../array.js';
import type { TimeLoop } from '../time-loop.js';
import { fillNormal, uniformStream } from './random.js';
import { redNoiseFromWhite } from './red-noise.js';
import { sphericalGrf } from './spherical-grf.js';
import type { LatLonGrid, ModelGrid } from '../grid.js';

export type PerturbationMethod = 'none' | 'gaussian' | 'correlated' | 'spherical_grf' | 'bred_vector';

export interface PerturbationConfig {
  method: PerturbationMethod;
  /**
   * Noise RMS per channel (physical units); a number applies to every channel; missing channels are not perturbed.
   * For `spherical_grf`, the factor the field is multiplied by (earth2studio's `noise_amplitude`), its RMS set by alpha, tau, sigma.
   */
  amplitude: number | Record<string, number>;
  seed: number;
  /** Spectral exponent r of correlated noise, S ∝ 1/(|f_x|^r + |f_y|^r). */
  reddening?: number;
  /** Breeding cycles (each one model step from control and perturbed state). */
  breeding_cycles?: number;
  /** spherical_grf: regularity α (default 2; > 1 unless sigma is given). */
  alpha?: number;
  /** spherical_grf: inverse length scale τ in 1/radian (default 3). */
  tau?: number;
  /** spherical_grf: scale σ (default τ^(α−1)). */
  sigma?: number;
  /** spherical_grf: isotropic m = 0 variance (default true) or torch_harmonics' draw (false). */
  isotropic?: boolean;
}

/**
 * CONFIG errors a perturbation can only show against the model grid:
 * `spherical_grf` needs a lat/lon grid and α > 1 when σ is not given.
 */
export function checkPerturbation(cfg: PerturbationConfig, grid: ModelGrid, where = 'run config'): void {
  if (cfg.method !== 'spherical_grf') return;
  if (grid.kind !== 'latlon') {
    throw new NunatakError('CONFIG', `${where}: perturbation.method 'spherical_grf' needs a lat/lon model grid; this model's grid is projected (${grid.crs})`, {
      hint: "use perturbation.method 'correlated' (Fourier red noise) on projected grids",
    });
  }
  const alpha = cfg.alpha ?? 2;
  if (cfg.sigma === undefined && !(alpha > 1)) {
    throw new NunatakError('CONFIG', `${where}: perturbation.alpha must be > 1 when perturbation.sigma is not given (got ${alpha}): the default sigma τ^(α−1) needs a trace-class covariance`, {
      hint: 'set alpha > 1, or give sigma',
    });
  }
}

/**
 * Unit-amplitude spherical Gaussian random field [C, Y, X] for member `member`
 * on a lat/lon grid, from the same (seed, member, start) stream as {@link unitNoise}.
 */
export function grfNoise(cfg: PerturbationConfig, member: number, C: number, grid: ModelGrid, start?: Date): Float64Array {
  checkPerturbation(cfg, grid, 'perturbation');
  const g = grid as LatLonGrid; // checked just above
  const u = uniformStream(cfg.seed, member, start === undefined ? 0 : Math.round(start.getTime() / 60000));
  return sphericalGrf(u, C, g.lat, g.lon, { alpha: cfg.alpha ?? 2, tau: cfg.tau ?? 3, sigma: cfg.sigma, isotropic: cfg.isotropic });
}

/** Per-channel amplitudes for `channels`; unknown names in a mapping are errors. */
export function amplitudes(cfg: PerturbationConfig, channels: string[]): Float64Array {
  if (typeof cfg.amplitude === 'number') return new Float64Array(channels.length).fill(cfg.amplitude);
  for (const k of Object.keys(cfg.amplitude)) {
    if (!channels.includes(k)) throw new NunatakError('CONFIG', `perturbation.amplitude: '${k}' is not a model in_channel`, { hint: `in_channels: ${channels.join(', ')}` });
  }
  return Float64Array.from(channels, (c) => cfg.amplitude && typeof cfg.amplitude === 'object' ? (cfg.amplitude[c] ?? 0) : 0);
}

/**
 * Unit-RMS noise [C, Y, X] for member `member` (white or red). `start` (the
 * forecast's initial time) salts the stream so each start time of an
 * ensemble campaign gets its own draw (member k is not the same field at every start).
 */
export function unitNoise(method: 'gaussian' | 'correlated', seed: number, member: number, C: number, ny: number, nx: number, reddening = 2, start?: Date): Float64Array {
  const u = uniformStream(seed, member, start === undefined ? 0 : Math.round(start.getTime() / 60000));
  const out = new Float64Array(C * ny * nx);
  fillNormal(out, u);
  if (method === 'correlated') {
    for (let c = 0; c < C; c++) out.set(redNoiseFromWhite(out.subarray(c * ny * nx, (c + 1) * ny * nx), ny, nx, reddening), c * ny * nx);
  }
  return out;
}

/** Add `p` [C, Y, X] to every history level of batch row `b` of x [B, T, C, Y, X] (in place). */
export function addToState(x: NdArray, b: number, p: ArrayLike<number>): void {
  const [, T, C, Y, X] = x.shape;
  const level = C * Y * X;
  for (let t = 0; t < T; t++) {
    const o = (b * T + t) * level;
    for (let i = 0; i < level; i++) x.data[o + i] += p[i];
  }
}

/** Rescale each channel of `d` [C, Y, X] to RMS amp[c] (0 where the channel is flat or amp is 0). */
function rescale(d: Float64Array, amp: Float64Array, npix: number): void {
  for (let c = 0; c < amp.length; c++) {
    const s = d.subarray(c * npix, (c + 1) * npix);
    let ss = 0;
    for (let i = 0; i < npix; i++) ss += s[i] * s[i];
    const rms = Math.sqrt(ss / npix);
    const f = rms > 0 ? amp[c] / rms : 0;
    for (let i = 0; i < npix; i++) s[i] *= f;
  }
}

async function stepOnce(loop: TimeLoop, time0: Date, x: NdArray): Promise<Float32Array> {
  for await (const item of loop.loop(time0, x)) {
    if (item.step === 1) return item.y.data; // step 1, not the lead-0 echo of the input (earth2mip's bred-vector bug)
  }
  throw new NunatakError('EXEC', 'time loop ended before step 1');
}

/**
 * Bred vector for one member: start from scaled noise p, then `cycles` times
 * p ← rescale(M(x + p) − M(x)), M = one real model step. Needs in == out channels.
 */
export async function bredVector(loop: TimeLoop, time0: Date, x: NdArray, cfg: PerturbationConfig, member: number): Promise<Float64Array> {
  const [, T, C, Y, X] = x.shape;
  const npix = Y * X;
  const amp = amplitudes(cfg, loop.inChannels);
  const outIdx = loop.inChannels.map((c) => loop.outChannels.indexOf(c));
  if (outIdx.some((i) => i < 0)) throw new NunatakError('CONFIG', 'bred_vector needs every in_channel among the out_channels');
  const base: NdArray = { data: x.data.slice(0, T * C * npix), shape: [1, T, C, Y, X] };
  const p = unitNoise('gaussian', cfg.seed, member, C, Y, X, 2, time0);
  for (let c = 0; c < C; c++) for (let i = 0; i < npix; i++) p[c * npix + i] *= amp[c];
  const ctrl = await stepOnce(loop, time0, base);
  const cycles = cfg.breeding_cycles ?? 3;
  for (let k = 0; k < cycles; k++) {
    const xp: NdArray = { data: base.data.slice(), shape: base.shape };
    addToState(xp, 0, p);
    const yp = await stepOnce(loop, time0, xp);
    for (let c = 0; c < C; c++) {
      const oc = outIdx[c] * npix;
      for (let i = 0; i < npix; i++) p[c * npix + i] = yp[oc + i] - ctrl[oc + i];
    }
    rescale(p, amp, npix);
  }
  return p;
}

/** The perturbation [C, Y, X] (physical units) of ensemble member `member` (0 → zeros). */
export async function memberPerturbation(loop: TimeLoop, time0: Date, x: NdArray, cfg: PerturbationConfig, member: number): Promise<Float64Array> {
  const [, , C, Y, X] = x.shape;
  const npix = Y * X;
  if (member === 0 || cfg.method === 'none') return new Float64Array(C * npix);
  if (cfg.method === 'bred_vector') return bredVector(loop, time0, x, cfg, member);
  const amp = amplitudes(cfg, loop.inChannels);
  const p = cfg.method === 'spherical_grf' ? grfNoise(cfg, member, C, loop.grid, time0) : unitNoise(cfg.method, cfg.seed, member, C, Y, X, cfg.reddening ?? 2, time0);
  for (let c = 0; c < C; c++) for (let i = 0; i < npix; i++) p[c * npix + i] *= amp[c];
  return p;
}

/** x [1, T, C, Y, X] repeated for `members` (global member indices), each perturbed: [B, T, C, Y, X]. */
export async function perturbedBatch(loop: TimeLoop, time0: Date, x: NdArray, cfg: PerturbationConfig, members: number[]): Promise<NdArray> {
  if (x.shape[0] !== 1) throw new NunatakError('SHAPE', `perturbedBatch: x must have batch 1, got ${x.shape[0]}`);
  const one = size(x.shape);
  const out: NdArray = { data: new Float32Array(one * members.length), shape: [members.length, ...x.shape.slice(1)] };
  for (let b = 0; b < members.length; b++) {
    out.data.set(x.data, b * one);
    addToState(out, b, await memberPerturbation(loop, time0, x, cfg, members[b]));
  }
  return out;
}
