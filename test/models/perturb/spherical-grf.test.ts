/**
 * earth2mip's spherical Gaussian random field: a NumPy peer of the whole
 * recipe, the angular power spectrum and the variance by latitude over many
 * draws, per member / start time draws through the ensemble code, config errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { equiangular, type ModelGrid } from '../../../src/models/grid.js';
import { triIndex, triSize } from '../../../src/models/perturb/legendre.js';
import { fillNormal, uniformStream } from '../../../src/models/perturb/random.js';
import { grfBandLimit, grfCoefficients, sphericalGrf, type SphericalGrfParams } from '../../../src/models/perturb/spherical-grf.js';
import { inverseRealSht } from '../../../src/models/perturb/inverse-sht.js';
import { checkPerturbation, perturbedBatch, type PerturbationConfig } from '../../../src/models/perturb/index.js';
import { loadRunConfig } from '../../../src/models/run-config.js';
import { readPackage } from '../../../src/models/package.js';
import { loadTimeLoop } from '../../../src/models/load.js';
import { tempDir, writePackage } from '../helpers.js';
import { project } from './sht-helpers.js';

/** Orthonormal P̄_l^0(x) = √((2l+1)/4π) P_l(x) by Bonnet's recurrence (independent of legendre.ts). */
function pl0(L: number, x: number): Float64Array {
  const p = new Float64Array(L);
  p[0] = 1;
  if (L > 1) p[1] = x;
  for (let l = 2; l < L; l++) p[l] = ((2 * l - 1) * x * p[l - 1] - (l - 1) * p[l - 2]) / l;
  return p.map((v, l) => v * Math.sqrt((2 * l + 1) / (4 * Math.PI)));
}

/** Variance of the field at latitude `lat` from the addition theorem (isotropic: Σ_m |Y_lm|² = (2l+1)/4π). */
function theoryVariance(L: number, p: SphericalGrfParams, lat: number): number {
  const sigma = p.sigma ?? p.tau ** (p.alpha - 1);
  const P = pl0(L, Math.sin((lat * Math.PI) / 180));
  let v = 0;
  for (let l = 1; l < L; l++) {
    const s2 = sigma ** 2 * (l * (l + 1) + p.tau ** 2) ** -p.alpha;
    v += (s2 / (4 * Math.PI)) * ((2 * (2 * l + 1)) / (4 * Math.PI) - (p.isotropic === false ? P[l] ** 2 : 0));
  }
  return v;
}

test('the field equals a NumPy implementation of the earth2mip recipe from the same ξ to 1e-8 (both m = 0 variants, global and regional grids)', () => {
  const L = 24;
  const grids = [equiangular(37, 72), { lat: Float64Array.from({ length: 7 }, (_, i) => 71 - 6.5 * i), lon: Float64Array.from({ length: 9 }, (_, j) => 200.5 + 3 * j) }];
  const xi = new Float64Array(2 * triSize(L));
  fillNormal(xi, uniformStream(21, 4));
  const py = `
import json, math, sys, numpy as np
from numpy.polynomial import legendre as leg
d = json.load(sys.stdin)
L, a, t, sig, iso = d['L'], d['alpha'], d['tau'], d['sigma'], d['isotropic']
xi = np.array(d['xi']).reshape(-1, 2)
# earth2mip / torch_harmonics: sqrt_eig[l] = sigma * (l(l+1) + tau^2)^(-alpha/2), zero at l = 0
s = np.array([0.0] + [sig * (l * (l + 1) + t * t) ** (-a / 2) for l in range(1, L)])
out = []
for g in d['grids']:
    lat = np.radians(np.array(g['lat'])); lon = np.radians(np.array(g['lon']))
    x = np.sin(lat)
    f = np.zeros((len(lat), len(lon)))
    k = 0
    for m in range(L):            # coefficient order: m-major, l = m ... L-1
        for l in range(m, L):
            c = np.zeros(l + 1); c[l] = 1
            dm = leg.legval(x, leg.legder(c, m)) if m > 0 else leg.legval(x, c)
            # P_l^m with the Condon-Shortley phase, orthonormal on the sphere
            norm = math.sqrt((2 * l + 1) / (4 * math.pi) * math.exp(math.lgamma(l - m + 1) - math.lgamma(l + m + 1)))
            P = (-1) ** m * norm * np.cos(lat) ** m * dm
            # torch_harmonics InverseRealSHT(norm="backward"): basis Y / sqrt(4 pi); irfft keeps Re of m = 0
            re, im = xi[k] * s[l] / math.sqrt(4 * math.pi)
            if m == 0:
                f += (math.sqrt(2) if iso else 1.0) * re * P[:, None]
            else:
                f += 2 * P[:, None] * (re * np.cos(m * lon)[None, :] - im * np.sin(m * lon)[None, :])
            k += 1
    out.append(f.ravel().tolist())
print(json.dumps(out))`;
  for (const isotropic of [true, false]) {
    const p: SphericalGrfParams = { alpha: 2.5, tau: 4, sigma: 3, isotropic };
    const input = { L, alpha: p.alpha, tau: p.tau, sigma: p.sigma, isotropic, xi: Array.from(xi), grids: grids.map((g) => ({ lat: Array.from(g.lat), lon: Array.from(g.lon) })) };
    const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 })) as number[][];
    const coef = grfCoefficients(xi, L, p);
    grids.forEach((g, gi) => {
      const [f] = inverseRealSht([coef], L, g.lat, g.lon);
      const scale = Math.max(...ref[gi].map(Math.abs));
      const err = Math.max(...ref[gi].map((v, i) => Math.abs(v - f[i])));
      assert.ok(scale > 0.01 && err < 1e-8 * scale, `grid ${gi}, isotropic ${isotropic}: max error ${err} (field max ${scale})`);
    });
  }
});

test('angular power per degree over 48 draws follows (l(l+1) + τ²)^(−α): fitted slope within ±0.1 of −α, level within 10 %', () => {
  // L = 24 on the 181-row grid: the Clenshaw–Curtis projection is exact (see sht-helpers.ts).
  const p: SphericalGrfParams = { alpha: 2.5, tau: 3 };
  const L = 24;
  const g = equiangular(181, 360);
  const draws = 48;
  const fields = sphericalGrf(uniformStream(5, 1), draws, g.lat, g.lon, p, L);
  const power = new Float64Array(L);
  for (let d = 0; d < draws; d++) {
    const c = project(fields.subarray(d * 181 * 360, (d + 1) * 181 * 360), 181, 360, L);
    for (let l = 1; l < L; l++) {
      // |a_l0|² + 2 Σ_{m>0} |a_lm|² = Σ_{m=−l}^{l} of the field's complex coefficients
      let s = c.re[triIndex(L, l, 0)] ** 2;
      for (let m = 1; m <= l; m++) s += 2 * (c.re[triIndex(L, l, m)] ** 2 + c.im[triIndex(L, l, m)] ** 2);
      power[l] += s / (2 * l + 1) / draws;
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  let level = 0;
  for (let l = 1; l < L; l++) {
    xs.push(Math.log(l * (l + 1) + p.tau ** 2));
    ys.push(Math.log(power[l]));
    // expected: every (l, m) term has variance 2 σ² (l(l+1)+τ²)^(−α) / 4π (isotropic draw)
    level += power[l] / ((2 * p.tau ** (2 * p.alpha - 2) * (l * (l + 1) + p.tau ** 2) ** -p.alpha) / (4 * Math.PI)) / (L - 1);
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k] - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxy / sxx;
  assert.ok(Math.abs(slope + p.alpha) < 0.1, `fitted slope ${slope}, expected ${-p.alpha}`);
  assert.ok(Math.abs(level - 1) < 0.1, `mean power / expected power = ${level}`);
});

test('variance by latitude: isotropic draw equal at 60°N, equator and pole; torch_harmonics draw follows its addition-theorem profile (half at the poles)', () => {
  const L = 24;
  const g = equiangular(37, 72);
  const draws = 400;
  const rowVar = (f: Float64Array, row: number) => {
    let s = 0;
    for (let d = 0; d < draws; d++) for (let j = 0; j < 72; j++) s += f[(d * 37 + row) * 72 + j] ** 2;
    return s / (draws * 72);
  };
  const rows = { pole: 0, n60: 6, eq: 18 };
  for (const isotropic of [true, false]) {
    const p: SphericalGrfParams = { alpha: 2.5, tau: 3, isotropic };
    const f = sphericalGrf(uniformStream(17, 3), draws, g.lat, g.lon, p, L);
    const iso = theoryVariance(L, { ...p, isotropic: true }, 0);
    for (const [name, row] of Object.entries(rows)) {
      const want = theoryVariance(L, p, g.lat[row]);
      const got = rowVar(f, row);
      // 400 draws × ~10–20 independent values per circle (correlation length ~1/τ rad): ≤ 7 % (1σ) at the pole, ~3 % elsewhere
      const tol = name === 'pole' ? 0.22 : 0.12;
      assert.ok(Math.abs(got / want - 1) < tol, `isotropic ${isotropic}, ${name}: variance ${got}, theory ${want}`);
      if (isotropic) assert.ok(Math.abs(want / iso - 1) < 1e-12);
    }
    if (!isotropic) assert.ok(Math.abs(theoryVariance(L, p, 90) / iso - 0.5) < 1e-12, 'torch_harmonics draw: pole variance is half the isotropic one');
  }
});

test('band limit from the grid: 720 for earth2mip 721×1440 and 720×1440, 180 for 181×360', () => {
  assert.equal(grfBandLimit(equiangular(721, 1440).lat), 720);
  assert.equal(grfBandLimit(equiangular(720, 1440, false).lat), 720);
  assert.equal(grfBandLimit(equiangular(181, 360).lat), 180);
});

async function latlonLoop(n: number) {
  const step = join(import.meta.dirname, '..', 'fixtures', 'history-step.ts');
  const dir = writePackage(tempDir(), 'grf', {
    architecture_entrypoint: `${step}#load`,
    grid: { lat: { start: 90, step: -180 / (n - 1), n }, lon: { start: 0, step: 360 / (2 * n - 2), n: 2 * n - 2 } },
    in_channels: ['a', 'b'],
    out_channels: ['a', 'b'],
    time_step: 'PT6H',
  });
  return loadTimeLoop(readPackage(dir));
}

test('ensemble: member 0 unperturbed, distinct draws per member, per start time and per channel, reproducible, amplitude scales the field', async () => {
  const n = 19;
  const l = await latlonLoop(n);
  const npix = n * (2 * n - 2);
  const x = { data: new Float32Array(2 * npix).fill(280), shape: [1, 1, 2, n, 2 * n - 2] };
  const cfg: PerturbationConfig = { method: 'spherical_grf', amplitude: { a: 1, b: 10 }, seed: 2, alpha: 2, tau: 3 };
  const t1 = new Date('2018-01-01T00:00:00Z');
  const t2 = new Date('2018-01-02T00:00:00Z');
  const b1 = await perturbedBatch(l, t1, x, cfg, [0, 1, 2]);
  const b2 = await perturbedBatch(l, t2, x, cfg, [0, 1, 2]);
  const again = await perturbedBatch(l, t1, x, cfg, [2]);
  const d = (b: { data: Float32Array }, member: number, c: number) => Float64Array.from(b.data.subarray((member * 2 + c) * npix, (member * 2 + c + 1) * npix), (v) => v - 280);
  const maxAbs = (a: Float64Array) => Math.max(...Array.from(a, Math.abs));
  const maxDiff = (a: Float64Array, b: Float64Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  assert.equal(maxAbs(d(b1, 0, 0)) + maxAbs(d(b1, 0, 1)), 0);
  assert.deepEqual(again.data, b1.data.subarray(2 * 2 * npix));
  const rms = Math.sqrt(d(b1, 1, 0).reduce((s, v) => s + v * v, 0) / npix);
  assert.ok(rms > 0.02, `member 1 noise RMS ${rms}`);
  assert.ok(maxDiff(d(b1, 1, 0), d(b1, 2, 0)) > 0.3 * rms, 'members 1 and 2 share their noise');
  assert.ok(maxDiff(d(b1, 1, 0), d(b2, 1, 0)) > 0.3 * rms, 'member 1 has the same noise at two start times');
  // channel b: amplitude 10 on its own draw, not 10 × channel a's field
  assert.ok(maxDiff(d(b1, 1, 1), d(b1, 1, 0).map((v) => 10 * v)) > 0.3 * rms);
  // the field is smooth: neighbouring points along a latitude correlate strongly
  const f = d(b1, 1, 0);
  let c = 0;
  for (let i = 0; i < npix - 1; i++) if ((i + 1) % (2 * n - 2) !== 0) c += f[i] * f[i + 1];
  assert.ok(c / (npix - n) / rms ** 2 > 0.5, 'spherical_grf noise is not spatially correlated');
  // and constant along each pole row
  const nx = 2 * n - 2;
  assert.ok(maxAbs(f.subarray(0, nx).map((v) => v - f[0])) < 1e-5 && maxAbs(f.subarray((n - 1) * nx).map((v) => v - f[(n - 1) * nx])) < 1e-5);
});

test('config: spherical_grf keys parse with earth2studio defaults; projected grid and α ≤ 1 without σ are CONFIG errors naming the key', () => {
  const dir = tempDir();
  const file = join(dir, 'run.yaml');
  writeFileSync(file, 'model: m\ndata: {file: d.nc}\nstart_times: ["2018-01-01"]\nsteps: 1\nmembers: 2\nperturbation: {method: spherical_grf, amplitude: 0.05, seed: 3}\noutput: {path: o.nc}\n');
  const { cfg } = loadRunConfig(file);
  assert.deepEqual({ a: cfg.perturbation.alpha, t: cfg.perturbation.tau, s: cfg.perturbation.sigma, i: cfg.perturbation.isotropic }, { a: 2, t: 3, s: undefined, i: true });
  writeFileSync(file, 'model: m\ndata: {file: d.nc}\nstart_times: ["2018-01-01"]\nsteps: 1\nperturbation: {method: spherical_grf, alpha: 1.5, tau: 2, sigma: 5, isotropic: false, lmax: 3}\noutput: {path: o.nc}\n');
  assert.throws(() => loadRunConfig(file), (e: Error) => /unknown key 'lmax'/.test(e.message));
  const xy: ModelGrid = { kind: 'xy', x: new Float64Array(3), y: new Float64Array(3), crs: 'EPSG:32632' };
  const base: PerturbationConfig = { method: 'spherical_grf', amplitude: 1, seed: 1 };
  assert.throws(() => checkPerturbation(base, xy), (e: Error & { code?: string }) => e.code === 'CONFIG' && /perturbation\.method 'spherical_grf' needs a lat\/lon model grid.*EPSG:32632/.test(e.message));
  const ll = equiangular(19, 36);
  assert.throws(() => checkPerturbation({ ...base, alpha: 1 }, ll), (e: Error & { code?: string }) => e.code === 'CONFIG' && /perturbation\.alpha must be > 1/.test(e.message));
  checkPerturbation({ ...base, alpha: 1, sigma: 2 }, ll); // σ given: α ≤ 1 is allowed, as in torch_harmonics
  checkPerturbation({ ...base, method: 'correlated' }, xy);
});
