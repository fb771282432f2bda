// Issue 12 item 4: IGM's pinnbp emulator, retrained on Hintereisferner as IGM retrains it in a run
// (Adam on nunatak's BP energy of the network's own output), against nunatak's solved BP on the
// 200 m grid (28 × 38, grown 200 a by SIA; A 78, c 0.0464, Nz 10, vert_spacing 4).
//
// The surface-speed criterion is measured on staggered-grid corners (four-cell means of U, V where
// all four cells hold ice), because the energy — IGM's, equal to nunatak's to 1e-6
// (igm-energy.test.ts) — only sees those: the first test shows that a 5 m/a checkerboard added to
// the solved field leaves the energy unchanged while it moves the per-cell metric by 0.47, so the
// per-cell surface speed of "the minimum" is not defined (docs/emulator.md, "pinnbp retrained").
//
// Tolerances: mean relative corner surface-speed difference ≤ 0.10 (issue: 10 %), energy of the
// emulator field within 5 % of the solver's minimum (issue: "a few percent"). Measured
// (docs/emulator.md): raw pinnbp 0.75 / J ratio 0.19; after 600 Adam iterations at lr 2e-4,
// 0.062 / 0.964. lr 2e-4 is 10× IGM's retrain_emulator_lr: at 2e-5 the same needs about 2000
// iterations (0.060 / 0.964, bench/pinnbp-retrain.ts), too slow for a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../../src/core/tensor/index.js';
import { hefGeometry } from '../../src/emulator/bp-hef.js';
import { loadBPModel } from '../../src/emulator/bp-emulator.js';
import { retrainCurve } from '../../src/emulator/bp-retrain-curve.js';
import { surfaceSpeedAgreement } from '../../src/emulator/bp-surface-speed.js';
import { bpProblem, defaultBPSettings, solveBP, type BPProblem } from '../../src/sim/index.js';
import type { BPInputGeometry } from '../../src/emulator/bp-emulator.js';
import { PINNBP_DIR } from './pinnbp-dir.js';

const ITERATIONS = 600;
const LR = 2e-4;

let setup: Promise<{ g: BPInputGeometry; P: BPProblem; solved: { U: Float32Array; V: Float32Array }; Jsolved: number }> | undefined;
/** The geometry and the solver's answer (as compareEmulatedSolved: cold L-BFGS, gtol 1e-5), built once. */
function solvedHef() {
  setup ??= (async () => {
    await ready();
    const g = await hefGeometry({ dx: 200, years: 200, arrhenius: 78, slidingco: 0.0464 });
    const P = bpProblem(g, defaultBPSettings({ Nz: 10, vert_spacing: 4 }));
    const solved = { U: new Float32Array(P.size), V: new Float32Array(P.size) };
    const r = solveBP(P, solved.U, solved.V, { nbitmax: 3000, gtol: 1e-5 });
    assert.ok(r.converged, `solver stopped unconverged after ${r.iterations} iterations (${r.reason})`);
    return { g, P, solved, Jsolved: r.energy };
  })();
  return setup;
}

test('the BP energy does not see a checkerboard: per-cell surface speed of the minimum is undefined, corner speed is', async () => {
  const { g, P, solved, Jsolved } = await solvedHef();
  const n = g.nx * g.ny;
  const U = solved.U.slice();
  for (let k = 1; k < 10; k++) {
    for (let p = 0; p < n; p++) if (g.thk[p] > 0) U[k * n + p] += ((p % g.nx) + Math.floor(p / g.nx)) % 2 ? -5 : 5;
  }
  const dJ = Math.abs(P.energy(U, solved.V) - Jsolved) / Math.abs(Jsolved);
  const cells = surfaceSpeedAgreement({ U, V: solved.V }, solved, g, 10, 'cells');
  const corners = surfaceSpeedAgreement({ U, V: solved.V }, solved, g, 10, 'corners');
  console.log(`checkerboard ±5 m/a: |ΔJ/J| ${dJ.toExponential(1)}, cell metric ${cells.meanRel.toFixed(3)} (${cells.count} cells), corner metric ${corners.meanRel.toExponential(1)} (${corners.count} corners)`);
  assert.ok(dJ < 1e-6, `energy moved by ${dJ} (relative)`);
  assert.ok(cells.meanRel > 0.3, `cell metric ${cells.meanRel}`);
  assert.ok(corners.meanRel < 1e-5, `corner metric ${corners.meanRel}`);
  assert.ok(corners.count > 80, `${corners.count} corners faster than 1 m/a`);
});

test(`pinnbp retrained ${ITERATIONS} iterations on Hintereisferner 200 m meets issue 12 item 4; the raw network does not`, async () => {
  const { g, P, solved } = await solvedHef();
  const model = await loadBPModel(PINNBP_DIR);
  try {
    const [raw, trained] = retrainCurve(model, { geom: g, problem: P }, solved, { learningRate: LR, checkpoints: [0, ITERATIONS] });
    for (const [name, p] of [['raw', raw], ['retrained', trained]] as const) {
      console.log(`${name} (${p.iterations} its): corner metric ${p.meanRelCorners.toFixed(3)}, cell metric ${p.meanRelCells.toFixed(3)}, J_em/J_solved ${p.energyRatio.toFixed(4)}, ${p.seconds.toFixed(1)} s`);
    }
    // The published network is a no-slip emulator (docs/emulator.md): far from both criteria.
    assert.ok(raw.meanRelCorners > 0.5, `raw pinnbp corner metric ${raw.meanRelCorners}`);
    assert.ok(raw.energyRatio < 0.5, `raw pinnbp J ratio ${raw.energyRatio}`);
    assert.ok(trained.meanRelCorners <= 0.1, `retrained corner metric ${trained.meanRelCorners} > 0.10`);
    assert.ok(Math.abs(trained.energyRatio - 1) <= 0.05, `retrained J_em/J_solved ${trained.energyRatio} not within 5 %`);
  } finally {
    model.dispose();
  }
});
