// Every model.onnx nunatak writes passes ONNX's own checker with full_check
// (strict shape inference): the emulator folders saveEmulator writes (CNN and
// U-Net), `nunatak emulator export-onnx`, and the exporter bp-pretrain uses
// on a Keras model.h5 (IGM's pinnbp emulator). Before the fix the graph
// output 'y' carried no shape and the checker refused every file ("Field 'shape' of 'type' is required").
// Peer: Debian python3-onnx (import onnx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../../src/core/tensor/index.js';
import { buildNetwork, type NetworkSpec } from '../../src/emulator/networks.js';
import { saveEmulator } from '../../src/emulator/store.js';
import { exportOnnx } from '../../src/emulator/onnx-export.js';
import { loadBPModel } from '../../src/emulator/bp-emulator.js';
import { PINNBP_DIR } from './pinnbp-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'nk-onnx-check-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const CHECK = `
import sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
y = [o for o in m.graph.output if o.name == 'y'][0]
print(' '.join(d.dim_param or str(d.dim_value) for d in y.type.tensor_type.shape.dim))
`;

/** The checker's verdict and the declared shape of output 'y'. */
function check(file: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', CHECK, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `onnx.checker.check_model(full_check=True) refused ${file}:\n${r.stderr}`);
  return r.stdout.trim();
}

const spec = (over: Partial<NetworkSpec>): NetworkSpec => ({ network: 'cnn', nIn: 3, nOut: 2, layers: 2, blocks: 3, filters: 4, kernel: 3, activation: 'lrelu', dropout: 0.1, l2: 0, seed: 4, ...over });
const fields = (names: string[]) => names.map((name) => ({ name, bound: 100 }));

test('saveEmulator: model.onnx of a CNN and of a U-Net pass onnx.checker full_check', async () => {
  await ready('cpu');
  for (const network of ['cnn', 'unet'] as const) {
    const dir = join(tmp, network);
    await saveEmulator(dir, buildNetwork(spec({ network })), { network, blocks: 3, inputs: fields(['thk', 'slopsurfx', 'slopsurfy']), outputs: fields(['ubar', 'vbar']) });
    assert.equal(check(join(dir, 'model.onnx')), 'batch 2 h w', network);
  }
});

test('nunatak emulator export-onnx of a saved folder, and the BP exporter on a Keras model.h5 (IGM pinnbp), pass the checker', async () => {
  await ready('cpu');
  const dir = join(tmp, 'cnn-cli');
  await saveEmulator(dir, buildNetwork(spec({ nIn: 2, nOut: 1, kernel: 4 })), { network: 'cnn', blocks: 3, inputs: fields(['thk', 'usurf']), outputs: fields(['ubar']) });
  const out = join(tmp, 'cli.onnx');
  const r = spawnSync(process.execPath, ['bin/nunatak.js', 'emulator', 'export-onnx', dir, '--out', out], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(check(out), 'batch 1 h w');
  // bp-pretrain writes model.onnx with exportOnnx(model, 'nunatak_bp_emulator'): the same call on IGM's Keras model.
  const bp = join(tmp, 'pinnbp.onnx');
  writeFileSync(bp, exportOnnx(await loadBPModel(PINNBP_DIR), 'nunatak_bp_emulator'));
  assert.match(check(bp), /^batch \d+ h w$/);
});
