/**
 * The bed-smoothness term on cell faces (sim/invert/smoothness.ts) against
 * hand-computed values: a linear field gives exactly ½λ|∇b|²_β with the
 * along/across split of its flow direction; a cell-by-cell checkerboard —
 * invisible to the SIA flux divergence and to a 2×2-corner gradient — is
 * penalised; a constant is free. Its gradient against central differences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSmoothness } from '../../../src/sim/invert/smoothness.js';

const nx = 8;
const ny = 6;
const grid = { nx, ny, dx: 100, dy: 50 };
const mask = Float64Array.from({ length: nx * ny }, (_, k) => (k % nx > 1 && k % nx < nx - 2 && k >= 2 * nx && k < (ny - 2) * nx ? 1 : 0));
// surface falling along x: flow direction (1, 0)
const surf = Float64Array.from({ length: nx * ny }, (_, k) => 3000 - 0.2 * 100 * (k % nx));

test('linear field: value = ½λ(g_x²/√β + √β g_y²) with flow along x, to 1e-12', () => {
  const beta = 0.2;
  const S = buildSmoothness(grid, mask, surf, beta);
  const gx = 0.03;
  const gy = -0.05;
  const b = Float64Array.from({ length: nx * ny }, (_, k) => gx * 100 * (k % nx) + gy * 50 * Math.floor(k / nx));
  const v = S.apply(b, 2, new Float64Array(nx * ny));
  const want = 0.5 * 2 * (gx * gx / Math.sqrt(beta) + Math.sqrt(beta) * gy * gy);
  assert.ok(Math.abs(v - want) < 1e-12 * want, `${v} vs ${want}`);
});

test('checkerboard is penalised, a constant is not', () => {
  const S = buildSmoothness(grid, mask, surf, 0.2);
  const chk = Float64Array.from({ length: nx * ny }, (_, k) => ((k % nx) + Math.floor(k / nx)) % 2 ? 10 : -10);
  // normal differences 20 m across every face: mean over x- and y-faces of ½(Δ/h)² weighted by the flow split
  assert.ok(S.apply(chk, 1, new Float64Array(nx * ny)) > 0.5 * Math.sqrt(0.2) * (20 / 100) ** 2);
  assert.equal(S.apply(new Float64Array(nx * ny).fill(1234), 1, new Float64Array(nx * ny)), 0);
});

test('gradient = central finite differences to 1e-8 (relative)', () => {
  const S = buildSmoothness(grid, mask, Float64Array.from(surf, (s, k) => s + 7 * Math.sin(k * 1.7)), 0.3);
  const b = Float64Array.from({ length: nx * ny }, (_, k) => 50 * Math.sin(k * 12.9898) + 0.1 * k);
  const g = new Float64Array(nx * ny);
  const f = S.apply(b, 3, g);
  assert.ok(f > 0);
  for (let k = 0; k < nx * ny; k++) {
    const bp = Float64Array.from(b);
    const bm = Float64Array.from(b);
    bp[k] += 1e-3;
    bm[k] -= 1e-3;
    const scratch = new Float64Array(nx * ny);
    const fd = (S.apply(bp, 3, scratch) - S.apply(bm, 3, scratch)) / 2e-3;
    assert.ok(Math.abs(fd - g[k]) <= 1e-8 * Math.max(Math.abs(fd), f), `cell ${k}: ${g[k]} vs ${fd}`);
  }
});
