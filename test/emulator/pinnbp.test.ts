// IGM 2.x pinnbp emulator import (data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1, GPL-3.0, see the
// README there): settings parsed from the folder name, and nunatak's forward pass — TF.js and
// ONNX Runtime via nunatak's exporter — equals an independent float64 NumPy forward pass of the
// h5 weights (test/emulator/keras_forward.py, h5py) to 1e-4 of the output scale on a small
// glacier-like input. Also: the Nz / vert_spacing / inputs checks name the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../../src/core/tensor/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { loadBPEmulator, bpInputs, type BPInputGeometry } from '../../src/emulator/bp-emulator.js';
import { PINNBP_DIR } from './pinnbp-dir.js';
import { checkBPEmulatorMeta, isBPEmulatorFolder, parsePinnbpName, readBPEmulatorMeta } from '../../src/emulator/bp-folder.js';

const tmp = mkdtempSync(join(tmpdir(), 'nk-pinnbp-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A 12 × 9 ice cap on a tilted bed, 100 m cells, ice-free border. */
function smallGeometry(): BPInputGeometry {
  const ny = 12, nx = 9, n = ny * nx;
  const thk = new Float32Array(n), usurf = new Float32Array(n);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const r2 = ((j - 5.5) / 5) ** 2 + ((i - 4) / 3.6) ** 2;
    const h = r2 < 1 ? 180 * Math.sqrt(1 - r2) : 0;
    thk[j * nx + i] = h;
    usurf[j * nx + i] = 2800 + 20 * j + 5 * i + h;
  }
  return { nx, ny, dx: 100, thk, usurf, arrhenius: 78, slidingco: 0.0464 };
}

test('pinnbp folder name gives Nz 10, vert_spacing 4, CNN 16 × 32, 2-D A, new friction', () => {
  const m = readBPEmulatorMeta(PINNBP_DIR);
  assert.deepEqual([m.Nz, m.vert_spacing, m.network, m.nb_layers, m.nb_out_filter, m.dim_arrhenius, m.new_friction_param], [10, 4, 'cnn', 16, 32, 2, true]);
  assert.deepEqual(m.inputs, ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX']);
  assert.ok(isBPEmulatorFolder(PINNBP_DIR));
  assert.equal(parsePinnbpName('f15_cfsflow_GJ_22_a'), null);
});

test('pinnbp forward (TF.js and ONNX Runtime) equals a NumPy forward of model.h5 to 1e-4', async () => {
  await ready('cpu');
  const g = smallGeometry();
  const x = bpInputs(g, ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX']);
  writeFileSync(join(tmp, 'x.f32'), x);
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'keras_forward.py'), join(PINNBP_DIR, 'model.h5'), join(tmp, 'x.f32'), String(g.ny), String(g.nx), '5', join(tmp, 'y.f32')]);
  const b = readFileSync(join(tmp, 'y.f32'));
  const y = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const n = g.nx * g.ny;
  assert.equal(y.length, n * 20);
  for (const runtime of ['tfjs', 'onnx'] as const) {
    const emu = await loadBPEmulator(PINNBP_DIR, { runtime, threads: 1 });
    const { U, V } = await emu.predict(g);
    let scale = 0, maxd = 0;
    for (let p = 0; p < n; p++) {
      if (!(g.thk[p] > 0)) {
        for (let k = 0; k < 10; k++) assert.equal(U[k * n + p], 0);
        continue;
      }
      for (let k = 0; k < 10; k++) {
        scale = Math.max(scale, Math.abs(y[p * 20 + k]), Math.abs(y[p * 20 + 10 + k]));
        maxd = Math.max(maxd, Math.abs(U[k * n + p] - y[p * 20 + k]), Math.abs(V[k * n + p] - y[p * 20 + 10 + k]));
      }
    }
    assert.ok(scale > 1, `reference speeds ${scale} m/a`);
    assert.ok(maxd <= 1e-4 * scale, `${runtime}: max |nunatak − NumPy| = ${maxd} m/a, scale ${scale}`);
    await emu.dispose();
  }
});

test('an emulator trained for other settings is refused naming the setting', () => {
  const m = readBPEmulatorMeta(PINNBP_DIR);
  const base = { Nz: 10, vert_spacing: 4, exp_glen: 3, exp_weertman: 3 };
  checkBPEmulatorMeta(m, base, 'processes.iceflow', PINNBP_DIR);
  assert.throws(() => checkBPEmulatorMeta(m, { ...base, Nz: 8 }, 'processes.iceflow', PINNBP_DIR), (e) => isNunatakError(e, 'CONFIG') && /processes\.iceflow\.Nz is 8 .*Nz = 10/.test(e.message));
  assert.throws(() => checkBPEmulatorMeta(m, { ...base, vert_spacing: 1 }, 'processes.iceflow', PINNBP_DIR), (e) => isNunatakError(e, 'CONFIG') && /vert_spacing is 1 /.test(e.message));
  const d = join(tmp, 'pinnbp_10_4_cnn_16_32_2_1');
  cpSync(PINNBP_DIR, d, { recursive: true });
  writeFileSync(join(d, 'fieldin.dat'), 'thk\nusurf\nslidingco\narrhenius\ndX\n');
  assert.throws(() => checkBPEmulatorMeta(readBPEmulatorMeta(d), base, 'processes.iceflow', d), (e) => isNunatakError(e, 'CONFIG') && /inputs thk, usurf, slidingco, arrhenius, dX/.test(e.message));
  writeFileSync(join(d, 'fieldout.dat'), 'ubar\nvbar\n');
  assert.throws(() => readBPEmulatorMeta(d), (e) => isNunatakError(e, 'CONFIG') && /fieldout\.dat lists ubar, vbar/.test(e.message));
});
