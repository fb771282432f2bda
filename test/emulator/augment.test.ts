// Augmentation is physically right: for all 8 grid symmetries, transforming
// usurf then taking slopes equals transforming the slopes (vector-aware), a local
// SIA velocity law commutes with the symmetries, and a symmetric dome's SIA
// velocity is unchanged by a vector-aware 90° rotation (but not by a naive one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySymmetry, IDENTITY, type Symmetry } from '../../src/emulator/augment.js';
import { gradient2d } from '../../src/emulator/slopes.js';
import { isNunatakError } from '../../src/core/errors.js';
import { Rng } from '../../src/emulator/rng.js';

const ALL: Symmetry[] = Array.from({ length: 8 }, (_, k) => ({ transpose: (k & 1) !== 0, fliplr: (k & 2) !== 0, flipud: (k & 4) !== 0 }));
const n = 12;
const dx = 100;

/** Interleave (n,n) fields into channels-last. */
const stack = (...f: Float32Array[]) => {
  const out = new Float32Array(n * n * f.length);
  for (let p = 0; p < n * n; p++) f.forEach((a, c) => (out[p * f.length + c] = a[p]));
  return out;
};
const slopes = (u: Float32Array) => {
  const g = gradient2d(u, n, n, dx, dx);
  return stack(g.gx, g.gy);
};
/** Local SIA-like velocity: u = −c H^5 |∇s|² ∇s (ubar, vbar). */
const sia = (x: Float32Array) => {
  const out = new Float32Array(n * n * 2);
  for (let p = 0; p < n * n; p++) {
    const [h, sx, sy] = [x[p * 3], x[p * 3 + 1], x[p * 3 + 2]];
    const k = -1e-12 * h ** 5 * (sx * sx + sy * sy);
    out[p * 2] = k * sx;
    out[p * 2 + 1] = k * sy;
  }
  return out;
};
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('slopes of a transformed surface = vector-aware transform of the slopes (all 8 symmetries)', () => {
  const r = new Rng(5);
  const u = Float32Array.from({ length: n * n }, () => 2000 + 300 * r.next());
  const g = slopes(u);
  for (const s of ALL) {
    const lhs = slopes(applySymmetry(u, n, n, ['usurf'], s));
    const rhs = applySymmetry(g, n, n, ['slopsurfx', 'slopsurfy'], s);
    assert.ok(maxDiff(lhs, rhs) <= 1e-6, `${JSON.stringify(s)}: ${maxDiff(lhs, rhs)}`);
  }
});

test('an equivariant emulator (local SIA law) commutes with the augmentation', () => {
  const r = new Rng(9);
  const x = Float32Array.from({ length: n * n * 3 }, (_, i) => (i % 3 === 0 ? 300 * r.next() : 0.4 * (r.next() - 0.5)));
  for (const s of ALL) {
    const a = sia(applySymmetry(x, n, n, ['thk', 'slopsurfx', 'slopsurfy'], s));
    const b = applySymmetry(sia(x), n, n, ['ubar', 'vbar'], s);
    assert.ok(maxDiff(a, b) <= 1e-6 * Math.max(...sia(x).map(Math.abs)), JSON.stringify(s));
  }
});

test('symmetric dome: the rotated SIA velocity equals the velocity of the (unchanged) rotated input', () => {
  const h = new Float32Array(n * n);
  const c = (n - 1) / 2;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) h[j * n + i] = Math.max(0, 400 - 4 * ((i - c) ** 2 + (j - c) ** 2));
  const g = gradient2d(h, n, n, dx, dx);
  const x = stack(h, g.gx, g.gy);
  const v = sia(x);
  assert.ok(Math.max(...v.map(Math.abs)) > 1e-3, 'dome has flow');
  const rot90: Symmetry = { transpose: true, fliplr: false, flipud: true };
  // The input is symmetric: rotating it changes nothing…
  assert.ok(maxDiff(applySymmetry(x, n, n, ['thk', 'slopsurfx', 'slopsurfy'], rot90), x) <= 1e-6);
  // …so the rotated output must equal the output.
  assert.ok(maxDiff(applySymmetry(v, n, n, ['ubar', 'vbar'], rot90), v) <= 1e-9);
  // DLE-style scalar rotation (no component swap/negation) would be wrong here.
  assert.ok(maxDiff(applySymmetry(v, n, n, ['a', 'b'], rot90), v) > 1e-3);
});

test('identity is a copy; bad blocks and missing partners are errors', () => {
  const x = Float32Array.from({ length: n * n * 2 }, (_, i) => i);
  assert.deepEqual(applySymmetry(x, n, n, ['ubar', 'vbar'], IDENTITY), x);
  assert.throws(() => applySymmetry(new Float32Array(6), 2, 3, ['thk'], { ...IDENTITY, transpose: true }), (e) => isNunatakError(e, 'SHAPE'));
  assert.throws(() => applySymmetry(new Float32Array(n * n), n, n, ['ubar'], { ...IDENTITY, transpose: true }), (e) => isNunatakError(e, 'CONFIG') && /vbar/.test(e.message));
});
