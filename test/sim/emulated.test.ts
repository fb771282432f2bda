/**
 * iceflow method `emulated`: a short valley run driven by a hand-made linear
 * emulator (1×1 convolution, declared a 3-level U-Net so the 15×30 grid is
 * padded to 16×32 and cropped back). At every step the velocities iceflow
 * wrote must equal the linear map evaluated by hand from that step's thk and
 * usurf (slopes by an independent np.gradient): |Δ| ≤ 1e-3 m a⁻¹ + 1e-5·|u|
 * (float32), for ONNX Runtime and for TF.js. Bad configs stop with errors
 * naming processes.iceflow.emulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';
import { expectedVelocities, PROBE, writeLinearEmulator } from './emulated-helpers.js';

interface Probe { it: number; t: number; grid: { nx: number; ny: number; dx: number; dy: number }; thk: number[]; usurf: number[]; ubar: number[]; vbar: number[]; velbar_mag: number[] }

const PROCS = ['smb_simple', 'iceflow', 'probe', 'time', 'thk'];

function experiment(iceflow: string): string {
  return makeExperiment({
    'experiment.yaml': valleyYaml({ processes: PROCS, time: 'start: 0, end: 6, save: 3, step_max: 1', procs: `  iceflow: {${iceflow}}\n` }),
    'user/code/processes/probe.ts': PROBE,
  });
}

for (const runtime of ['onnx', 'tfjs'] as const) {
  test(`emulated iceflow (${runtime}) writes the emulator's velocities at every step`, async () => {
    const root = experiment(`method: emulated, emulator: emu, emulator_runtime: ${runtime}`);
    await writeLinearEmulator(join(root, 'emu'));
    const r = await runExperiment({ experiment: root, outDir: join(root, 'run') });
    assert.equal(r.t, 6);
    const probes = (globalThis as { __probe?: Probe[] }).__probe ?? [];
    assert.ok(probes.length >= 7, `${probes.length} steps`);
    let ice = 0;
    for (const p of probes) {
      const { nx, ny, dx, dy } = p.grid;
      const { u, v } = expectedVelocities(p.thk, p.usurf, ny, nx, dx, dy);
      for (let k = 0; k < nx * ny; k++) {
        assert.ok(Math.abs(p.ubar[k] - u[k]) <= 1e-3 + 1e-5 * Math.abs(u[k]), `ubar it ${p.it} cell ${k}: ${p.ubar[k]} vs ${u[k]}`);
        assert.ok(Math.abs(p.vbar[k] - v[k]) <= 1e-3 + 1e-5 * Math.abs(v[k]), `vbar it ${p.it} cell ${k}: ${p.vbar[k]} vs ${v[k]}`);
        assert.ok(Math.abs(p.velbar_mag[k] - Math.hypot(u[k], v[k])) <= 2e-3 + 1e-5 * Math.hypot(u[k], v[k]));
        if (p.thk[k] > 0) ice++;
      }
    }
    assert.ok(ice > 0, 'ice grew, so the velocities were checked on ice cells');
    // The ice evolved under the emulated flow (thickness differs between the first and last step).
    const first = probes[1].thk, last = probes[probes.length - 1].thk;
    assert.ok(first.some((h, k) => Math.abs(h - last[k]) > 1e-3));
  });
}

test('emulated iceflow: missing or unusable emulators stop with errors naming the key', async () => {
  await assert.rejects(runExperiment({ experiment: experiment('method: emulated'), outDir: join(experiment('method: sia'), 'run') }), /processes\.iceflow\.emulator is not set/);
  await assert.rejects(runExperiment({ experiment: experiment('method: emulated, emulator: nowhere'), outDir: join(experiment('method: sia'), 'r') }), /processes\.iceflow\.emulator: folder .*nowhere does not exist/);
  const noU = experiment('method: emulated, emulator: emu');
  await writeLinearEmulator(join(noU, 'emu'), ['uvelsurf', 'vvelsurf']);
  await assert.rejects(runExperiment({ experiment: noU, outDir: join(noU, 'run') }), /fieldout\.dat lists uvelsurf, vvelsurf; the sim needs ubar and vbar/);
  const extra = experiment('method: emulated, emulator: emu');
  await writeLinearEmulator(join(extra, 'emu'));
  writeFileSync(join(extra, 'emu', 'fieldin.dat'), 'thk 2000\nslopsurfx 1.5\nstrflowctrl 200\n');
  await assert.rejects(runExperiment({ experiment: extra, outDir: join(extra, 'run') }), /needs input 'strflowctrl' \(fieldin\.dat\)/);
});
