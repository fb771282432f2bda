/** Scoring: hand-computed lat weighting, persistence at lead 0, NumPy peer for ACC forms, spread, spread–skill and rank histogram, CRPS (fair and standard) vs brute force and the Gaussian closed form, shard merge equality. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ScoreAccumulator, fairCrps, observationRank, rowWeights, standardCrps, type ScoreRow } from '../../src/models/scoring/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

test('cos(lat) weighting on a hand-computed 2×2 case', () => {
  // lat 0° and 60°: weights 1 and 0.5. Errors row 0 = 1, row 1 = 2:
  // mse = (1·1 + 1·1 + 0.5·4 + 0.5·4) / (1 + 1 + 0.5 + 0.5) = 6 / 3 = 2.
  const w = rowWeights({ kind: 'latlon', lat: Float64Array.from([0, 60]), lon: Float64Array.from([0, 1]) });
  assert.ok(Math.abs(w[1] - 0.5) < 1e-15);
  const acc = new ScoreAccumulator(w, 2);
  const o = [0, 0, 0, 0];
  acc.add('t0', 0, 'a', [1, -1, 2, 2], o, [0, 0, 0, 0]);
  const s = acc.finalise();
  assert.ok(Math.abs(s.rmse[0][0] - Math.SQRT2) < 1e-15);
  // uncentred ACC by hand: xy = 0 (o' = 0) → 0/√(0·yy) = NaN is honest; use o' ≠ 0 below instead
  const acc2 = new ScoreAccumulator(w, 2);
  acc2.add('t0', 0, 'a', [1, 1, 2, 2], [1, 1, 1, 1], [0, 0, 0, 0]);
  // xy = (1+1+0.5·2+0.5·2)/3 = 4/3, xx = 1, yy = (1+1+0.5·4+0.5·4)/3 = 2 → ACC = (4/3)/√2
  assert.ok(Math.abs(acc2.finalise().acc_uncentred[0][0] - 4 / 3 / Math.SQRT2) < 1e-15);
});

test('persistence at lead 0: RMSE = 0 and both ACC forms = 1', () => {
  const r = rng(3);
  const w = rowWeights({ kind: 'latlon', lat: Float64Array.from([15, 30, 45, 60]), lon: Float64Array.from([0, 1, 2]) });
  const acc = new ScoreAccumulator(w, 3);
  for (let t = 0; t < 3; t++) {
    const o = Array.from({ length: 12 }, () => 280 + 5 * normal(r));
    const c = Array.from({ length: 12 }, () => 280 + normal(r));
    acc.add(`t${t}`, 0, 't2m', o, o, c);
  }
  const s = acc.finalise();
  assert.equal(s.rmse[0][0], 0);
  assert.ok(Math.abs(s.acc_uncentred[0][0] - 1) < 1e-12);
  assert.ok(Math.abs(s.acc_centred[0][0] - 1) < 1e-12);
});

test('RMSE, both ACC forms, climatology RMSE, ensemble-mean RMSE, spread, spread–skill and rank histogram agree with NumPy (rel 1e-10, counts exact)', () => {
  const r = rng(11);
  const lat = [20, 35, 50];
  const nx = 4, n = 12, m = 5, T = 4;
  const w = rowWeights({ kind: 'latlon', lat: Float64Array.from(lat), lon: Float64Array.from([0, 1, 2, 3]) });
  const acc = new ScoreAccumulator(w, nx);
  const data: { f: number[]; o: number[]; c: number[] }[] = [];
  for (let t = 0; t < T; t++) {
    const o = Array.from({ length: n }, () => normal(r));
    const c = Array.from({ length: n }, () => 0.3 * normal(r));
    const f = Array.from({ length: m * n }, (_, i) => o[i % n] + 0.7 * normal(r) + 0.2);
    acc.addEnsemble(`t${t}`, 6, 'x', f, m, o, c);
    data.push({ f, o, c });
  }
  const s = acc.finalise();
  const py = `
import json, sys, numpy as np
d = json.load(sys.stdin); lat = np.array(${JSON.stringify(lat)}); m, ny, nx = ${m}, 3, ${nx}
w = np.cos(np.deg2rad(lat))[:, None] * np.ones((1, nx))
wm = lambda z: (w * z).sum() / w.sum()
mse, xx, yy, xy, accc, cm, ev, rk = [], [], [], [], [], [], [], []
for s in d:
    f = np.array(s['f']).reshape(m, ny, nx); o = np.array(s['o']).reshape(ny, nx); c = np.array(s['c']).reshape(ny, nx)
    fm = f.mean(0); fa = fm - c; oa = o - c
    mse.append(wm((fm - o) ** 2)); xx.append(wm(oa ** 2)); yy.append(wm(fa ** 2)); xy.append(wm(fa * oa))
    fc = fa - wm(fa); oc = oa - wm(oa)
    accc.append((w * fc * oc).sum() / np.sqrt((w * fc ** 2).sum() * (w * oc ** 2).sum()))
    cm.append(wm((c - o) ** 2)); ev.append(wm(f.var(0, ddof=1)))
    rk.append((f < o[None]).sum(0).ravel())
spread = np.sqrt(np.mean(ev)); rmse = np.sqrt(np.mean(mse))
hist = np.bincount(np.concatenate(rk), minlength=m + 1)
print(json.dumps([rmse, np.mean(xy) / np.sqrt(np.mean(xx) * np.mean(yy)), np.mean(accc), np.sqrt(np.mean(cm)), spread, np.sqrt((m + 1) / m) * spread / rmse] + hist.tolist()))`;
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(data), encoding: 'utf8' })) as number[];
  const got = [s.rmse[0][0], s.acc_uncentred[0][0], s.acc_centred[0][0], s.rmse_climatology[0][0], s.spread![0][0], s.spread_skill![0][0]];
  got.forEach((g, i) => assert.ok(Math.abs(g - ref[i]) <= 1e-10 * Math.abs(ref[i]), `score ${i}: ${g} vs NumPy ${ref[i]}`));
  // rank histogram: continuous values, no ties, so NumPy's count of members below the truth is exact
  assert.deepEqual(s.rank_histogram![0][0], ref.slice(6));
  assert.equal(s.members, m);
  assert.equal(s.ensemble_mean_rmse![0][0], s.rmse[0][0]);
  assert.notEqual(s.acc_centred[0][0], s.acc_uncentred[0][0]);
});

test('fair CRPS: sorted O(m log m) kernel equals the O(m²) definition; converges to the Gaussian closed form', () => {
  const r = rng(5);
  for (const m of [2, 3, 7, 50]) {
    const x = Array.from({ length: m }, () => normal(r));
    const y = normal(r);
    let a = 0, b = 0;
    for (let i = 0; i < m; i++) {
      a += Math.abs(x[i] - y);
      for (let j = 0; j < m; j++) b += Math.abs(x[i] - x[j]);
    }
    const brute = a / m - b / (2 * m * (m - 1));
    assert.ok(Math.abs(fairCrps(x, y) - brute) < 1e-12, `m=${m}`);
  }
  // CRPS(N(0,1), y=0.5) = z(2Φ(z)−1) + 2φ(z) − 1/√π; the fair estimator is unbiased, so the
  // mean over 400 ensembles of 20 members is within ~4 standard errors (0.004) of it.
  const z = 0.5;
  const phi = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const Phi = 0.6914624612740131;
  const exact = z * (2 * Phi - 1) + 2 * phi - 1 / Math.sqrt(Math.PI);
  let mean = 0;
  for (let k = 0; k < 400; k++) mean += fairCrps(Array.from({ length: 20 }, () => normal(r)), z) / 400;
  assert.ok(Math.abs(mean - exact) < 0.004, `${mean} vs ${exact}`);
  assert.throws(() => fairCrps([1], 0), /at least 2/);
});

test('standard CRPS equals the empirical-CDF integral; fair − standard = pair term difference; ranks split ties', () => {
  const r = rng(7);
  for (const m of [1, 2, 5, 30]) {
    const x = Array.from({ length: m }, () => normal(r));
    const y = normal(r);
    // ∫ (F_m(t) − H(t − y))² dt by exact piecewise integration over the sorted breakpoints
    const pts = [...x, y].sort((a, b) => a - b);
    let integral = 0;
    for (let k = 0; k + 1 < pts.length; k++) {
      const mid = (pts[k] + pts[k + 1]) / 2;
      const F = x.filter((v) => v <= mid).length / m;
      const H = mid >= y ? 1 : 0;
      integral += (F - H) ** 2 * (pts[k + 1] - pts[k]);
    }
    assert.ok(Math.abs(standardCrps(x, y) - integral) < 1e-12, `m=${m}: ${standardCrps(x, y)} vs ${integral}`);
    if (m > 1) {
      let b = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) b += Math.abs(x[i] - x[j]);
      const d = b / (2 * m * m) - b / (2 * m * (m - 1));
      assert.ok(Math.abs(fairCrps(x, y) - standardCrps(x, y) - d) < 1e-12);
    }
  }
  assert.equal(observationRank([1, 2, 3], 2.5), 2);
  assert.equal(observationRank([2, 2, 2, 2], 2), 2);
  assert.equal(observationRank([0, 1], -1), 0);
  assert.equal(observationRank([0, 1], 5), 2);
});

test('a statistically consistent ensemble has spread–skill ≈ 1 and a flat rank histogram', () => {
  // truth and members drawn from the same N(0,1) at every point: ratio 1 within sampling error
  const r = rng(21);
  const w = rowWeights({ kind: 'latlon', lat: Float64Array.from([0, 0, 0, 0]), lon: Float64Array.from(Array.from({ length: 50 }, (_, i) => i)) });
  const acc = new ScoreAccumulator(w, 50);
  const m = 9, n = 200;
  for (let t = 0; t < 20; t++) {
    const o = Array.from({ length: n }, () => normal(r));
    const f = Array.from({ length: m * n }, () => normal(r));
    acc.addEnsemble(`t${t}`, 0, 'x', f, m, o, new Array(n).fill(0));
  }
  const s = acc.finalise();
  assert.ok(Math.abs(s.spread_skill![0][0] - 1) < 0.05, `spread-skill ${s.spread_skill![0][0]}`);
  const h = s.rank_histogram![0][0];
  const expected = (20 * n) / (m + 1);
  // 4000 draws into 10 bins: each count within 5 binomial standard deviations (≈ 95) of 400
  h.forEach((c, k) => assert.ok(Math.abs(c - expected) < 5 * Math.sqrt(expected * (1 - 1 / (m + 1))), `bin ${k}: ${c}`));
  assert.ok(s.crps_standard![0][0] > s.crps_fair![0][0]);
});

test('shards merged from JSON give bit-identical scores to one accumulator; overlap is an error', () => {
  const r = rng(9);
  const w = rowWeights({ kind: 'latlon', lat: Float64Array.from([10, 40]), lon: Float64Array.from([0, 1, 2]) });
  const whole = new ScoreAccumulator(w, 3);
  const shards = [new ScoreAccumulator(w, 3), new ScoreAccumulator(w, 3), new ScoreAccumulator(w, 3)];
  for (let t = 0; t < 9; t++) {
    for (const lead of [0, 1, 2]) {
      for (const ch of ['a', 'b']) {
        const o = Array.from({ length: 6 }, () => normal(r));
        const f = Array.from({ length: 18 }, () => normal(r));
        const c = Array.from({ length: 6 }, () => 0.1 * normal(r));
        whole.addEnsemble(`2041-0${t + 1}`, lead, ch, f, 3, o, c);
        shards[(t * 7) % 3].addEnsemble(`2041-0${t + 1}`, lead, ch, f, 3, o, c);
      }
    }
  }
  // shards travel as JSON (as they would from workers) and merge in a different order
  const merged = new ScoreAccumulator(w, 3);
  for (const sh of [shards[2], shards[0], shards[1]]) merged.merge(JSON.parse(JSON.stringify(sh.toRows())) as ScoreRow[]);
  assert.deepEqual(merged.finalise(['a', 'b']), whole.finalise(['a', 'b']));
  assert.throws(() => merged.merge(shards[0]), /shards overlap/);
});
