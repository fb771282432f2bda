/**
 * inputs/synthetic: each bed shape matches its formula at sample points
 * (exact, float32 rounding ≤ 1e-3 m), the valley is symmetric about its
 * centre line, and thk0/usurf are consistent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticBed, run, type SyntheticParams } from '../../src/sim/modules/inputs/synthetic.js';
import { SimState } from '../../src/sim/state.js';

const base: SyntheticParams = { type: 'valley', nx: 21, ny: 11, dx: 100, z0: 3000, slope: 0.1, width: 500, depth: 200, height: 800, radius: 300, thk0: 5 };

test('synthetic beds follow their formulas', () => {
  for (const type of ['flat', 'valley', 'dome', 'bump'] as const) {
    const p = { ...base, type };
    const s = new SimState();
    run({ inputs: { synthetic: { ...p } } }, s);
    const topg = s.get('topg');
    const lx = 2000;
    const ly = 1000;
    for (const [j, i] of [[0, 0], [5, 10], [3, 17], [10, 20]]) {
      const x = i * 100;
      const y = j * 100;
      const r2 = (x - lx / 2) ** 2 + (y - ly / 2) ** 2;
      const want = {
        flat: 3000,
        valley: 3000 - 0.1 * x - 200 + 200 * ((y - 500) / 500) ** 2,
        dome: 3000 + 800 * Math.exp(-r2 / (2 * 300 * 300)),
        bump: 3000 - 0.1 * x + 800 * Math.exp(-r2 / (2 * 300 * 300)),
      }[type];
      assert.ok(Math.abs(topg.at(j, i) - want) < 1e-3, `${type} at (${j}, ${i})`);
      assert.equal(syntheticBed(p, x, y, lx, ly), want);
      assert.ok(Math.abs(s.get('usurf').at(j, i) - want - 5) < 1e-3);
    }
    if (type === 'valley') for (let j = 0; j < 11; j++) assert.equal(topg.at(j, 7), topg.at(10 - j, 7));
  }
});

test('synthetic rejects a negative thk0 and a tiny grid, naming the key', () => {
  assert.throws(() => run({ inputs: { synthetic: { ...base, thk0: -1 } } }, new SimState()), /inputs\.synthetic\.thk0 must be ≥ 0/);
  assert.throws(() => run({ inputs: { synthetic: { ...base, nx: 2 } } }, new SimState()), /too small/);
});
