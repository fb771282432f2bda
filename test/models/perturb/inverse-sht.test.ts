/** FFT vs a direct DFT; inverse real SHT vs closed-form spherical harmonics and a quadrature projection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fft } from '../../../src/models/perturb/fft.js';
import { inverseRealSht } from '../../../src/models/perturb/inverse-sht.js';
import { triIndex, triSize } from '../../../src/models/perturb/legendre.js';
import { equiangular } from '../../../src/models/grid.js';
import { fillNormal, uniformStream } from '../../../src/models/perturb/random.js';
import { project } from './sht-helpers.js';

test('FFT of lengths 1 … 1440 (radix-2 and Bluestein) equals the direct DFT to 1e-12 relative', () => {
  for (const n of [1, 2, 7, 16, 45, 97, 360, 1440]) {
    for (const sign of [1, -1] as const) {
      const re = Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i) + 0.01 * i);
      const im = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i * i));
      const r = re.slice();
      const q = im.slice();
      new Fft(n).transform(r, q, sign);
      let err = 0;
      let scale = 0;
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
          sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
          si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
        }
        err = Math.max(err, Math.abs(sr - r[k]), Math.abs(si - q[k]));
        scale = Math.max(scale, Math.abs(sr), Math.abs(si));
      }
      assert.ok(err <= 1e-12 * scale, `n = ${n}, sign ${sign}: max error ${err} (scale ${scale})`);
    }
  }
});

// Closed forms with the Condon–Shortley phase, θ colatitude (orthonormal: ∫|Y|² dΩ = 1).
const Y = {
  // Y_3^0 (real)
  y30: (t: number) => Math.sqrt(7 / (16 * Math.PI)) * (5 * Math.cos(t) ** 3 - 3 * Math.cos(t)),
  // |Y_1^1|, |Y_2^1|, |Y_3^3| without e^{imφ}
  y11: (t: number) => -Math.sqrt(3 / (8 * Math.PI)) * Math.sin(t),
  y21: (t: number) => -Math.sqrt(15 / (8 * Math.PI)) * Math.sin(t) * Math.cos(t),
  y33: (t: number) => -Math.sqrt(35 / (64 * Math.PI)) * Math.sin(t) ** 3,
};

test('inverse SHT of single coefficients equals closed-form Y_l^m at every grid point (poles included) to 1e-12', () => {
  const L = 12;
  const grids = [
    { name: '181×360 with poles (FFT)', ...equiangular(181, 360) },
    { name: '720×1440-style without poles, 45 lon (Bluestein)', ...equiangular(40, 45, false) },
    { name: 'regional, offset lon (direct sums)', lat: Float64Array.from({ length: 9 }, (_, i) => 62 - 7.5 * i), lon: Float64Array.from({ length: 11 }, (_, j) => -17.3 + 4.1 * j) },
  ];
  // field = Re a30·Y30 + 2 Re(a21 Y21) + 2 Re(a11 Y11) + 2 Re(a33 Y33)
  const a = { y30: [0.5, 9], y21: [1, 0], y11: [0, 1], y33: [-0.75, 0.25] };
  const lm: Record<keyof typeof a, [number, number]> = { y30: [3, 0], y21: [2, 1], y11: [1, 1], y33: [3, 3] };
  const re = new Float64Array(triSize(L));
  const im = new Float64Array(triSize(L));
  for (const k of Object.keys(a) as Array<keyof typeof a>) {
    re[triIndex(L, ...lm[k])] = a[k][0];
    im[triIndex(L, ...lm[k])] = a[k][1]; // Im a30 must be ignored (real field)
  }
  for (const g of grids) {
    const [f] = inverseRealSht([{ re, im }], L, g.lat, g.lon);
    let err = 0;
    for (let i = 0; i < g.lat.length; i++) {
      for (let j = 0; j < g.lon.length; j++) {
        const t = ((90 - g.lat[i]) * Math.PI) / 180;
        const p = (g.lon[j] * Math.PI) / 180;
        let v = a.y30[0] * Y.y30(t);
        for (const k of ['y21', 'y11', 'y33'] as const) {
          const m = lm[k][1];
          v += 2 * Y[k](t) * (a[k][0] * Math.cos(m * p) - a[k][1] * Math.sin(m * p));
        }
        err = Math.max(err, Math.abs(v - f[i * g.lon.length + j]));
      }
    }
    assert.ok(err < 1e-12, `${g.name}: max error ${err}`);
  }
});

test('quadrature projection of a synthesised band-limited field recovers its 820 coefficients to 1e-12', () => {
  // Clenshaw–Curtis on the 181-row grid is exact for products of degree ≤ 180: L = 40 needs 78.
  const L = 40;
  const g = equiangular(181, 360);
  const xi = new Float64Array(2 * triSize(L));
  fillNormal(xi, uniformStream(9, 2));
  const re = xi.filter((_, i) => i % 2 === 0);
  const im = xi.filter((_, i) => i % 2 === 1);
  for (let l = 0; l < L; l++) im[triIndex(L, l, 0)] = 0;
  const [f] = inverseRealSht([{ re, im }], L, g.lat, g.lon);
  const c = project(f, 181, 360, L);
  let err = 0;
  for (let k = 0; k < triSize(L); k++) err = Math.max(err, Math.abs(c.re[k] - re[k]), Math.abs(c.im[k] - im[k]));
  assert.ok(err < 1e-12, `max coefficient error ${err}`);
});
