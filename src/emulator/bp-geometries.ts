/**
 * Synthetic glacier geometries for physics-informed pretraining: valley
 * glaciers, ice caps on mountains, and ice sheets over bumpy beds, each with
 * a random rate factor A and sliding coefficient c (uniform fields). Seeded,
 * so a pretraining run is reproducible.
 */
import { Rng } from './rng.js';
import type { BPInputGeometry } from './bp-emulator.js';

export interface SyntheticOptions {
  /** Grid rows / columns (cells). */
  ny: number;
  nx: number;
  /** Range of grid spacings (m). */
  dxRange: [number, number];
  /** Range of the rate factor A (MPa⁻³ a⁻¹), sampled log-uniformly. */
  arrheniusRange: [number, number];
  /** Range of the sliding coefficient c (MPa a^(1/3) m^(−1/3)), sampled log-uniformly. */
  slidingcoRange: [number, number];
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  ny: 32, nx: 32, dxRange: [100, 200], arrheniusRange: [20, 150], slidingcoRange: [0.02, 0.1], seed: 1,
};

export type GeometryKind = 'valley' | 'icecap' | 'bumps';
export const GEOMETRY_KINDS: GeometryKind[] = ['valley', 'icecap', 'bumps'];

const logUniform = (r: Rng, [a, b]: [number, number]) => Math.exp(Math.log(a) + r.next() * (Math.log(b) - Math.log(a)));
const uniform = (r: Rng, a: number, b: number) => a + r.next() * (b - a);

/** One synthetic geometry of the given kind (thk and usurf in m). */
export function syntheticGeometry(kind: GeometryKind, r: Rng, o: SyntheticOptions): BPInputGeometry & { kind: GeometryKind } {
  const { ny, nx } = o;
  const dx = uniform(r, o.dxRange[0], o.dxRange[1]);
  const Lx = nx * dx, Ly = ny * dx;
  const bed = new Float32Array(ny * nx);
  const thk = new Float32Array(ny * nx);
  const angle = r.next() * 2 * Math.PI; // flow direction of valleys / regional slope
  const ca = Math.cos(angle), sa = Math.sin(angle);
  const H0 = uniform(r, 100, 400);
  const slope = uniform(r, 0.03, 0.2);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const x = (i + 0.5) * dx - Lx / 2, y = (j + 0.5) * dx - Ly / 2;
    const s = x * ca + y * sa; // along flow
    const t = -x * sa + y * ca; // across flow
    let b: number;
    let h: number;
    if (kind === 'valley') {
      const w = 0.25 * Math.min(Lx, Ly);
      b = -slope * s + 0.6 * (t * t) / w;
      const tongue = 0.45 * Math.max(Lx, Ly); // glacier from the head to the snout
      const a = 1 - (s + 0.5 * tongue) / (1.3 * tongue);
      h = a > 0 && s < 0.55 * tongue ? H0 * Math.sqrt(Math.min(a, 1)) * Math.max(0, 1 - (t / w) ** 2) : 0;
    } else if (kind === 'icecap') {
      const R = uniform(r, 0.3, 0.45) * Math.min(Lx, Ly);
      const rr = Math.hypot(x, y) / R;
      b = 0.5 * H0 * Math.exp(-(x * x + y * y) / (R * R)) - 0.3 * slope * s;
      h = rr < 1 ? H0 * Math.pow(1 - Math.pow(rr, 4 / 3), 3 / 8) : 0; // Vialov profile
    } else {
      b = -slope * 0.3 * s;
      h = H0 * (1 - 0.3 * Math.abs(t) / Ly);
    }
    bed[j * nx + i] = b;
    thk[j * nx + i] = h;
  }
  if (kind === 'bumps') {
    // Gaussian bumps on the bed, ice surface smoothed over them; some poke through.
    const nb = 3 + Math.floor(r.next() * 5);
    for (let q = 0; q < nb; q++) {
      const cx = r.next() * Lx, cy = r.next() * Ly, sg = uniform(r, 2, 6) * dx, amp = uniform(r, -0.5, 1.2) * H0;
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
        const d2 = ((i + 0.5) * dx - cx) ** 2 + ((j + 0.5) * dx - cy) ** 2;
        const db = amp * Math.exp(-d2 / (2 * sg * sg));
        bed[j * nx + i] += db;
        thk[j * nx + i] = Math.max(0, thk[j * nx + i] - 0.7 * db);
      }
    }
  }
  const base = 2500 + 1000 * r.next();
  const usurf = new Float32Array(ny * nx);
  for (let p = 0; p < ny * nx; p++) {
    if (thk[p] < 1) thk[p] = 0;
    usurf[p] = base + bed[p] + thk[p];
  }
  return { kind, nx, ny, dx, thk, usurf, arrhenius: logUniform(r, o.arrheniusRange), slidingco: logUniform(r, o.slidingcoRange) };
}

/** `count` geometries cycling through the kinds, seeded by `o.seed`. */
export function syntheticGeometries(count: number, o: SyntheticOptions = DEFAULT_SYNTHETIC): Array<BPInputGeometry & { kind: GeometryKind }> {
  const r = new Rng(o.seed);
  return Array.from({ length: count }, (_, k) => syntheticGeometry(GEOMETRY_KINDS[k % GEOMETRY_KINDS.length], r, o));
}
