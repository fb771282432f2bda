/**
 * iceflow method `diagnostic`: SIA drives the run (final thickness identical
 * to a plain SIA run, bit for bit) and iceflow_diagnostic.csv holds one row per
 * save time (start, each save, end). Each row's l1, l2, max velocity
 * differences are recomputed from the probed SIA velocities and the linear
 * emulator evaluated by hand (tolerance 1e-3 m a⁻¹ + 1e-5 relative, float32);
 * timings are positive. velocityDifference is checked on a hand example.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { DIAGNOSTIC_HEADER, velocityDifference } from '../../src/sim/modules/processes/iceflow-diagnostic.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';
import { expectedVelocities, PROBE, writeLinearEmulator } from './emulated-helpers.js';

interface Probe { it: number; t: number; grid: { nx: number; ny: number; dx: number; dy: number }; thk: number[]; usurf: number[]; ubar: number[]; vbar: number[] }

const yaml = (iceflow: string) =>
  valleyYaml({ processes: ['smb_simple', 'iceflow', 'probe', 'time', 'thk'], time: 'start: 0, end: 40, save: 20', procs: `  iceflow: {${iceflow}}\n` });

async function finalThk(iceflow: string): Promise<{ root: string; probes: Probe[]; thk: number[] }> {
  const root = makeExperiment({ 'experiment.yaml': yaml(iceflow), 'user/code/processes/probe.ts': PROBE });
  await writeLinearEmulator(join(root, 'emu'));
  await runExperiment({ experiment: root, outDir: join(root, 'run') });
  const probes = (globalThis as { __probe?: Probe[] }).__probe ?? [];
  return { root, probes, thk: probes[probes.length - 1].thk };
}

test('velocityDifference: mean, RMS and max of |Δ(u, v)| over ice cells', () => {
  const thk = new Float32Array([1, 1, 0, 2]);
  const d = velocityDifference(thk, new Float32Array([3, 0, 9, 1]), new Float32Array([4, 0, 9, 1]), new Float32Array([0, 0, 0, 1]), new Float32Array([0, 1, 0, 1]));
  // errors on ice: 5, 1, 0 (cell 2 is ice-free)
  assert.equal(d.cells, 3);
  assert.ok(Math.abs(d.l1 - 2) < 1e-12);
  assert.ok(Math.abs(d.l2 - Math.sqrt(26 / 3)) < 1e-12);
  assert.equal(d.max, 5);
});

test('diagnostic iceflow: SIA drives the run, the CSV compares it with the emulator at each save', async () => {
  const sia = await finalThk('method: sia');
  const diag = await finalThk('method: diagnostic, emulator: emu');
  assert.deepEqual(diag.thk, sia.thk, 'diagnostic evolves exactly as SIA');
  const lines = readFileSync(join(diag.root, 'run', 'iceflow_diagnostic.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], DIAGNOSTIC_HEADER);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  assert.deepEqual(rows.map((r) => r[1]), [0, 20, 40], 'rows at the start, the save at 20 a and the end');
  let checked = 0;
  for (const r of rows) {
    const [it, , cells, l1, l2, max, siaMs, emuMs] = r;
    assert.ok(siaMs > 0 && emuMs > 0, 'timings recorded');
    const p = diag.probes.find((q) => q.it === it);
    if (!p) continue; // the end row comes from finalize, after the last probe
    const { nx, ny, dx, dy } = p.grid;
    const e = expectedVelocities(p.thk, p.usurf, ny, nx, dx, dy);
    const want = velocityDifference(Float32Array.from(p.thk), Float32Array.from(p.ubar), Float32Array.from(p.vbar), Float32Array.from(e.u), Float32Array.from(e.v));
    assert.equal(cells, want.cells);
    for (const [got, exp] of [[l1, want.l1], [l2, want.l2], [max, want.max]]) assert.ok(Math.abs(got - exp) <= 1e-3 + 1e-5 * exp, `it ${it}: ${got} vs ${exp}`);
    checked++;
  }
  assert.equal(checked, 2);
  assert.ok(rows[1][3] > 0, 'SIA and the linear emulator differ on ice');
});
