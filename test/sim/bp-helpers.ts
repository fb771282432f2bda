// Fixtures for the Blatter–Pattyn tests: a small glacier-like geometry with
// ice-free cells, a zero-friction column (IGM's 0.01 hack), spatially varying
// A, and smooth random velocity fields.
import { mulberry32 } from '../../src/core/rng.ts';
import type { BPGeometry } from '../../src/sim/physics/bp/index.ts';

export interface FixtureOptions {
  nx?: number;
  ny?: number;
  dx?: number;
  periodic?: boolean;
  seed?: number;
}

/** ny×nx geometry: thickness 60–180 m with a few ice-free cells, sloping surface, c = 0 on columns 3–4 (stag4(c) = 0 between them). */
export function bpFixture(o: FixtureOptions = {}): BPGeometry {
  const nx = o.nx ?? 9, ny = o.ny ?? 7, dx = o.dx ?? 100;
  const rnd = mulberry32(o.seed ?? 7);
  const nc = nx * ny;
  const thk = new Float32Array(nc), usurf = new Float32Array(nc), A = new Float32Array(nc), c = new Float32Array(nc);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const free = (i === 0 && j < 3) || (i === nx - 1 && j === ny - 1) || (i === 4 && j === 2);
      thk[k] = free ? 0 : 120 + 60 * Math.sin(0.9 * i + 0.4 * j) * rnd();
      usurf[k] = 2500 - (o.periodic ? 0 : 15 * i + 6 * j) + 10 * Math.cos(0.8 * i - 0.5 * j) + (free ? 0 : 0.05 * thk[k]);
      A[k] = 78 * (0.8 + 0.4 * rnd());
      c[k] = i === 3 || i === 4 ? 0 : 0.0464 * (0.5 + rnd());
    }
  }
  const geom: BPGeometry = { nx, ny, dx, thk, usurf, arrhenius: A, slidingco: c };
  if (o.periodic) geom.slope = { x: -0.08, y: 0.03 };
  return geom;
}

/** Nz·ny·nx smooth field: a few random sinusoids plus a profile growing bed → surface (m a⁻¹). */
export function smoothVelocity(Nz: number, ny: number, nx: number, seed: number, scale = 20): Float32Array {
  const rnd = mulberry32(seed);
  const modes = Array.from({ length: 4 }, () => [rnd() * 1.2, rnd() * 1.2, rnd() * 6, rnd() - 0.5]);
  const out = new Float32Array(Nz * ny * nx);
  for (let k = 0; k < Nz; k++) {
    const prof = 0.4 + 0.6 * (1 - (1 - k / (Nz - 1)) ** 4);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        let v = 0.5;
        for (const [a, b, ph, w] of modes) v += w * Math.sin(a * i + b * j + ph + 0.3 * k);
        out[(k * ny + j) * nx + i] = scale * prof * v;
      }
    }
  }
  return out;
}
