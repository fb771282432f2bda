// `nunatak emulator pretrain` end to end on a tiny setting: options parse with errors naming the
// option, the folder written loads back as a BP emulator (bp-emulator.json, names-only
// fieldin.dat, fieldout U V), its model.onnx gives the TF.js model's velocities (1e-4 of scale),
// and the pretraining lowered the energy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNunatakError } from '../../src/core/errors.js';
import { parsePretrainOptions, pretrainBPEmulator } from '../../src/emulator/bp-pretrain.js';
import { loadBPEmulator } from '../../src/emulator/bp-emulator.js';
import { checkBPEmulatorMeta, readBPEmulatorMeta } from '../../src/emulator/bp-folder.js';
import { syntheticGeometries, DEFAULT_SYNTHETIC } from '../../src/emulator/bp-geometries.js';

const tmp = mkdtempSync(join(tmpdir(), 'nk-bp-pretrain-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('pretrain options: defaults, IGM folder name, errors name the option', () => {
  const o = parsePretrainOptions({});
  assert.equal(o.out, 'pinnbp_10_4_cnn_16_32_2_1');
  assert.equal(o.clipnorm, 1);
  assert.throws(() => parsePretrainOptions({ Nz: '1' }), (e) => isNunatakError(e, 'CONFIG') && /--Nz must be an integer ≥ 2/.test(e.message));
  assert.throws(() => parsePretrainOptions({ vert_spacing: '0' }), (e) => isNunatakError(e, 'CONFIG') && /--vert_spacing must be > 0/.test(e.message));
  assert.throws(() => parsePretrainOptions({ epochs: 'x' }), (e) => isNunatakError(e, 'CONFIG') && /--epochs: expected a number/.test(e.message));
});

test('a tiny pretrain writes a loadable BP emulator folder; ONNX equals TF.js; energy decreases', async () => {
  const out = join(tmp, 'bp');
  const o = parsePretrainOptions({ out, Nz: '4', nb_layers: '3', nb_out_filter: '8', epochs: '8', synthetic: '3', size: '16', hef: 'false', backend: 'cpu' });
  const r = await pretrainBPEmulator(o);
  assert.equal(r.history.length, 8);
  assert.ok(r.history[7].loss < r.history[0].loss, `energy ${r.history[0].loss} → ${r.history[7].loss}`);
  assert.equal(readFileSync(join(out, 'fieldin.dat'), 'utf8'), 'thk \nusurf \narrhenius \nslidingco \ndX \n');
  const m = readBPEmulatorMeta(out);
  checkBPEmulatorMeta(m, { Nz: 4, vert_spacing: 4, exp_glen: 3, exp_weertman: 3 }, 'processes.iceflow', out);
  assert.throws(() => checkBPEmulatorMeta(m, { Nz: 10, vert_spacing: 4, exp_glen: 3, exp_weertman: 3 }, 'processes.iceflow', out), /processes\.iceflow\.Nz is 10/);
  const [g] = syntheticGeometries(1, { ...DEFAULT_SYNTHETIC, ny: 12, nx: 20, seed: 8 });
  const a = await (await loadBPEmulator(out, { runtime: 'tfjs' })).predict(g);
  const onnx = await loadBPEmulator(out, { runtime: 'onnx', threads: 1 });
  const b = await onnx.predict(g);
  await onnx.dispose();
  let scale = 0, maxd = 0;
  for (let k = 0; k < a.U.length; k++) {
    scale = Math.max(scale, Math.abs(a.U[k]), Math.abs(a.V[k]));
    maxd = Math.max(maxd, Math.abs(a.U[k] - b.U[k]), Math.abs(a.V[k] - b.V[k]));
  }
  assert.ok(scale > 0 && maxd <= 1e-4 * scale, `max |ONNX − TF.js| ${maxd}, scale ${scale}`);
});
