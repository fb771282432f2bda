/**
 * iceflow method `diagnostic` with a Blatter–Pattyn emulator (IGM's pinnbp): the emulator drives
 * the run (final thickness identical to method `emulated`, bit for bit), and
 * iceflow_diagnostic_bp.csv has one row per save (start, 2 a, end) where the solved BP, started
 * from the emulator's field, never ends above the emulator's energy. The last row's emulator
 * energy is recomputed independently from output.nc (the emulator on the saved thk/usurf,
 * nunatak's energy) to 1e-4 relative; relSurfaceSpeed is checked on a hand example.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { openDataset } from '../../src/io/netcdf/index.js';
import { bpProblem, defaultBPSettings } from '../../src/sim/index.js';
import { loadBPEmulator } from '../../src/emulator/bp-emulator.js';
import { BP_DIAGNOSTIC_HEADER, relSurfaceSpeed } from '../../src/sim/modules/processes/iceflow-bp-diagnostic.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const PINNBP = join(import.meta.dirname, '../../data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1');
const NX = 20, NY = 10, DX = 300, N = NX * NY;

async function run(method: string): Promise<{ out: string; thk: Float32Array; usurf: Float32Array }> {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({
      outputs: ['write_ncdf'],
      time: 'start: 0, end: 4, save: 2',
      procs: `  smb_simple: {ela: 2900, update_freq: 0}\n  iceflow: {method: ${method}, emulator: pinnbp_10_4_cnn_16_32_2_1, init_slidingco: 0.0464, retrain_freq: 0, solver_nbitmax: 3000}\n`,
      extra: 'outputs:\n  write_ncdf: {vars_to_save: [thk, usurf]}\n',
    }).replace('nx: 30, ny: 15, dx: 200', `nx: ${NX}, ny: ${NY}, dx: ${DX}, thk0: 80`),
  });
  cpSync(PINNBP, join(root, 'pinnbp_10_4_cnn_16_32_2_1'), { recursive: true });
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  const ds = await openDataset(join(out, 'output.nc'));
  try {
    const last = (v: string) => { const d = ds.read(v, undefined, 'float32').data as Float32Array; return Float32Array.from(d.subarray(d.length - N)); };
    return { out, thk: last('thk'), usurf: last('usurf') };
  } finally {
    ds.close();
  }
}

test('relSurfaceSpeed: mean relative surface-speed difference over cells faster than 1 m/a', () => {
  const r = relSurfaceSpeed(new Float32Array([6, 0, 5]), new Float32Array([8, 0, 0]), new Float32Array([3, 0.5, 4]), new Float32Array([4, 0, 0]));
  // solved speeds 5, 0.5 (skipped), 4; emulated 10, 5 → |10−5|/5 = 1, |5−4|/4 = 0.25
  assert.equal(r.cells, 2);
  assert.ok(Math.abs(r.rel - 0.625) < 1e-12);
});

test('diagnostic with a BP emulator: emulator drives the run, CSV compares with solved BP at each save', async () => {
  const emulated = await run('emulated');
  const diag = await run('diagnostic');
  assert.deepEqual(Array.from(diag.thk), Array.from(emulated.thk), 'diagnostic evolves exactly as emulated');
  const lines = readFileSync(join(diag.out, 'iceflow_diagnostic_bp.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], BP_DIAGNOSTIC_HEADER);
  const cols = BP_DIAGNOSTIC_HEADER.split(',');
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k], Number(v)])));
  assert.deepEqual(rows.map((r) => r.t_a), [0, 2, 4]);
  for (const r of rows) {
    assert.ok(r.ice_cells > 0 && r.surf_cells > 0, JSON.stringify(r));
    assert.ok(r.J_solved <= r.J_emulator, `solver ${r.J_solved} above the emulator field ${r.J_emulator}`);
    assert.ok(r.J_solved < 0 && r.emulator_ms > 0 && r.solver_ms > 0 && r.rel_surf_speed >= 0 && r.l1_m_a > 0);
  }
  // Independent recomputation of the end row's emulator energy.
  const emu = await loadBPEmulator(PINNBP, { runtime: 'onnx', threads: 1 });
  const g = { nx: NX, ny: NY, dx: DX, thk: diag.thk, usurf: diag.usurf, arrhenius: 78, slidingco: 0.0464 };
  const { U, V } = await emu.predict(g);
  await emu.dispose();
  const P = bpProblem(g, defaultBPSettings());
  const J = P.energy(U, V);
  P.dispose();
  const end = rows[rows.length - 1];
  assert.ok(Math.abs(J - end.J_emulator) <= 1e-4 * Math.abs(J), `end row J_emulator ${end.J_emulator} vs recomputed ${J}`);
  console.log(`BP diagnostic end row: rel surface-speed diff ${end.rel_surf_speed}, J_emu/J_solved ${(end.J_emulator / end.J_solved).toFixed(3)}, solver ${end.solver_iterations} its`);
});
