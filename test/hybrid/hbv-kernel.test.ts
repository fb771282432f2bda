// HBV fused kernel: hand-computed days, water balance, adjoint vs central
// finite differences (float64), and forward/gradients vs the op-by-op TF.js version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hbvForward, hbvAdjoint, initialState, type HbvProblem } from '../../src/hybrid/hbv/kernel.js';
import { hbvLayout, HBV_BOUNDS, type HbvVariant } from '../../src/hybrid/hbv/params.js';
import { hbvReference } from '../../src/hybrid/hbv/reference.js';
import { hbvOp } from '../../src/hybrid/hbv/op.js';
import { tf, ready } from '../../src/core/tensor/index.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Random forcing with snow and rain seasons and random parameters inside the bounds. */
function randomProblem(variant: HbvVariant, nt: number, nb: number, nm: number, seed: number, dynamic: string[] = []) {
  const r = rng(seed);
  const { names, flags } = hbvLayout(variant, dynamic);
  const P = new Float64Array(nt * nb), T = new Float64Array(nt * nb), PET = new Float64Array(nt * nb);
  for (let t = 0; t < nt; t++) for (let b = 0; b < nb; b++) {
    const i = t * nb + b;
    P[i] = r() < 0.4 ? 30 * r() * r() : 0;
    T[i] = -2 + 10 * Math.sin((2 * Math.PI * (t + 40 * b)) / 60) + 4 * (r() - 0.5);
    PET[i] = Math.max(0, 0.5 + 0.2 * T[i]) + r();
  }
  const np = names.length;
  const params = new Float64Array(nb * np * nm);
  for (let b = 0; b < nb; b++) for (let k = 0; k < np; k++) for (let m = 0; m < nm; m++) {
    const { lo, hi } = HBV_BOUNDS[names[k]];
    params[(b * np + k) * nm + m] = lo + (0.1 + 0.8 * r()) * (hi - lo);
  }
  const dynIndex = dynamic.map((d) => names.indexOf(d));
  const dyn = new Float64Array(nt * nb * dynIndex.length * nm);
  for (let t = 0; t < nt; t++) for (let b = 0; b < nb; b++) dynIndex.forEach((k, d) => {
    for (let m = 0; m < nm; m++) {
      const { lo, hi } = HBV_BOUNDS[names[k]];
      dyn[((t * nb + b) * dynIndex.length + d) * nm + m] = lo + (0.2 + 0.6 * r()) * (hi - lo);
    }
  });
  const area = Float64Array.from({ length: nb }, (_, b) => (b % 2 ? 800 + 300 * b : 2600 + 50 * b));
  const pr: HbvProblem = { nt, nb, nm, np, P, T, PET, params, dynIndex, dyn, area };
  return { pr, flags, names };
}

test('HBV 1.0: four days of simple forcing match hand-computed stores and fluxes', () => {
  const { flags } = hbvLayout('hbv1.0');
  // BETA FC K0 K1 K2 LP PERC UZL TT CFMAX CFR CWH
  const params = [1, 100, 0.5, 0.1, 0.05, 0.5, 2, 10, 0, 2, 0.05, 0.1];
  const init = initialState(1, 1, 0);
  init.SM[0] = 50; init.SUZ[0] = 20; init.SLZ[0] = 40;
  const out = hbvForward({ nt: 4, nb: 1, nm: 1, np: 12, params, init,
    P: [10, 0, 60, 200], T: [-2, 3, 5, 10], PET: [1, 2, 0.5, 0] }, flags);
  // Day 1: all snow (SP 10); ET = PET·min(SM/(LP·FC),1) = 1; perc 2, q0 = 0.5·(18−10) = 4,
  //        q1 = 0.1·14 = 1.4, q2 = 0.05·42 = 2.1.
  // Day 2: melt min(2·3, 10) = 6, tosoil = 6 − 0.1·4 = 5.6, recharge = 5.6·0.49 = 2.744,
  //        q0 = 1.672, q1 = 1.1672, q2 = 2.095.
  // Day 3: melt 4 (all), inflow 64.4, recharge 64.4·0.49856 = 32.107264, q0 = 15.306032 ...
  // Day 4: soil overflows: excess 18.351264, SM = FC = 100, q0 = 96.2120824.
  const Q = [7.5, 4.9342, 19.9268852, 108.91902814];
  const ET = [1, 2, 0.5, 0];
  const SWE = [10, 4.4, 0, 0];
  for (let t = 0; t < 4; t++) {
    assert.ok(Math.abs(out.Q[t] - Q[t]) < 1e-9, `Q day ${t + 1}: ${out.Q[t]} vs ${Q[t]}`);
    assert.ok(Math.abs(out.ET[t] - ET[t]) < 1e-12, `ET day ${t + 1}`);
    assert.ok(Math.abs(out.SWE[t] - SWE[t]) < 1e-12, `SWE day ${t + 1}`);
  }
  assert.ok(Math.abs(out.Q0[2] - 15.306032) < 1e-9 && Math.abs(out.Q1[3] - 10.62120824) < 1e-9);
  const f = out.final;
  assert.ok(Math.abs(f.SM[0] - 100) < 1e-9 && Math.abs(f.SUZ[0] - 95.59087416) < 1e-9 && Math.abs(f.SLZ[0] - 39.6290125) < 1e-9);
  assert.equal(f.SP[0], 0);
});

for (const variant of ['hbv1.0', 'hbv1.1p', 'hbv2.0'] as HbvVariant[]) {
  test(`${variant}: water balance ΔS = P − ET − Q (+ floors/leakage) closes per component within 1e-4 mm`, () => {
    const nb = 8, nt = 400;
    const { pr, flags } = randomProblem(variant, nt, nb, 1, 7);
    const out = hbvForward(pr, flags);
    for (let b = 0; b < nb; b++) {
      let p = 0, et = 0, q = 0, g = 0;
      for (let t = 0; t < nt; t++) { const i = t * nb + b; p += pr.P[i]; et += out.ET[i]; q += out.Q[i]; g += out.gain[i]; }
      const s0 = 5 * 0.001;
      const f = out.final;
      const s1 = f.SP[b] + f.MW[b] + f.SM[b] + f.SUZ[b] + f.SLZ[b];
      assert.ok(Math.abs(s1 - s0 - (p - et - q + g)) < 1e-4, `basin ${b}: residual ${s1 - s0 - (p - et - q + g)}`);
      if (variant === 'hbv1.0') assert.ok(Math.abs(g) <= nt * 1e-5, 'floor gain bounded by nearzero per day');
      assert.ok(q > 0 && et > 0);
    }
  });

  test(`${variant}: adjoint gradients match central finite differences (float64, rel 1e-4)`, () => {
    const dynamic = variant === 'hbv1.0' ? ['BETA', 'BETAET'] : ['BETA'];
    const { pr, flags, names } = randomProblem(variant, 120, 2, 2, 11, dynamic);
    // small UZL, FC and PERC so that the fast runoff Q0 is active and K0/UZL get gradients
    const set = (name: string, f: (b: number, m: number) => number) => {
      const k = names.indexOf(name);
      for (let b = 0; b < pr.nb; b++) for (let m = 0; m < pr.nm; m++) (pr.params as Float64Array)[(b * pr.np + k) * pr.nm + m] = f(b, m);
    };
    set('UZL', (b, m) => 1 + 2 * b + m);
    set('FC', (b, m) => 60 + 20 * b + 7 * m);
    set('PERC', (b, m) => 0.5 + 0.3 * b + 0.1 * m);
    // large liquid-water capacity and slow refreezing so refreezing is partial on some days (CFR gradient)
    set('CWH', (b, m) => 0.15 + 0.02 * m + 0.01 * b);
    set('CFR', (b, m) => 0.01 + 0.005 * m + 0.002 * b);
    const r = rng(3);
    const w = Float64Array.from({ length: pr.nt * pr.nb }, () => r() - 0.3);
    const L = (p: HbvProblem) => { const q = hbvForward(p, flags).Q; let s = 0; for (let i = 0; i < q.length; i++) s += w[i] * q[i]; return s; };
    const fw = hbvForward(pr, flags, { tape: true });
    const g = hbvAdjoint(pr, flags, fw.tape!, w);
    const check = (arr: Float64Array, grad: Float64Array, label: (i: number) => string, idx: number[]) => {
      for (const i of idx) {
        const v = arr[i];
        const h = 1e-6 * Math.max(1, Math.abs(v));
        arr[i] = v + h; const lp = L(pr);
        arr[i] = v - h; const lm = L(pr);
        arr[i] = v;
        const fd = (lp - lm) / (2 * h);
        const scale = Math.max(1e-3, Math.abs(fd));
        assert.ok(Math.abs(fd - grad[i]) / scale < 1e-4, `${label(i)}: adjoint ${grad[i]} vs FD ${fd}`);
      }
    };
    const np = pr.np, nm = pr.nm;
    const all = Array.from({ length: pr.params.length }, (_, i) => i).filter((i) => !pr.dynIndex!.includes(Math.floor(i / nm) % np));
    check(pr.params as Float64Array, g.params, (i) => `static ${names[Math.floor(i / nm) % np]} [${i}]`, all);
    const dIdx = [0, 5, 17, 40, 101, 230, 333, 401].filter((i) => i < pr.dyn!.length);
    check(pr.dyn as Float64Array, g.dyn, (i) => `dynamic [${i}]`, dIdx);
    // every static parameter got a non-zero gradient somewhere (nothing silently disconnected)
    for (let k = 0; k < np; k++) {
      if (pr.dynIndex!.includes(k)) continue;
      let s = 0;
      for (let b = 0; b < pr.nb; b++) for (let m = 0; m < nm; m++) s += Math.abs(g.params[(b * np + k) * nm + m]);
      assert.ok(s > 0, `${names[k]} has zero gradient`);
    }
  });

  test(`${variant}: fused op equals the op-by-op TF.js version (forward 1e-5, gradients 2e-3)`, async () => {
    await ready('cpu');
    const dynamic = ['BETA'];
    const { pr, flags } = randomProblem(variant, 60, 3, 4, 5, dynamic);
    const { nt, nb, nm, np } = pr;
    const params = tf.tensor3d(Float32Array.from(pr.params), [nb, np, nm]);
    const dyn = tf.tensor4d(Float32Array.from(pr.dyn!), [nt, nb, 1, nm]);
    const P32 = Float32Array.from(pr.P), T32 = Float32Array.from(pr.T), E32 = Float32Array.from(pr.PET);
    const forcing = { P: tf.tensor2d(P32, [nt, nb]), T: tf.tensor2d(T32, [nt, nb]), PET: tf.tensor2d(E32, [nt, nb]) };
    const area = tf.tensor1d(Float32Array.from(pr.area!));
    const wv = tf.randomUniform([nt, nb], -0.5, 1, 'float32', 1);
    const lossRef = (p: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(hbvReference(forcing, p, flags, d, pr.dynIndex, area), wv));
    const lossOp = (p: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(hbvOp({ P: P32, T: T32, PET: E32, nt, nb, flags, dynIndex: pr.dynIndex, area: pr.area }, p as tf.Tensor3D, d as tf.Tensor4D), wv));
    const qr = hbvReference(forcing, params, flags, dyn, pr.dynIndex, area).dataSync();
    const qo = hbvOp({ P: P32, T: T32, PET: E32, nt, nb, flags, dynIndex: pr.dynIndex, area: pr.area }, params, dyn).dataSync();
    let qmax = 0;
    for (const v of qr) qmax = Math.max(qmax, Math.abs(v));
    for (let i = 0; i < qr.length; i++) assert.ok(Math.abs(qr[i] - qo[i]) <= 1e-5 * qmax, `Q[${i}] ${qo[i]} vs ${qr[i]}`);
    const [gpr, gdr] = tf.grads(lossRef)([params, dyn]);
    const [gpo, gdo] = tf.grads(lossOp)([params, dyn]);
    for (const [a, b, what] of [[gpr, gpo, 'static'], [gdr, gdo, 'dynamic']] as const) {
      const av = a.dataSync(), bv = b.dataSync();
      let amax = 0;
      for (const v of av) amax = Math.max(amax, Math.abs(v));
      let worst = 0;
      for (let i = 0; i < av.length; i++) worst = Math.max(worst, Math.abs(av[i] - bv[i]) / amax);
      assert.ok(worst < 2e-3, `${what} gradient worst rel diff ${worst}`);
    }
  });
}
