// `nunatak check` on a folder holding hybrid configs: the process model, NN and
// loss files they name are type-checked against nunatak's types and their
// contracts (one TypeScript program for all), problems reported at the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/check.js';

test('nunatak check: a hybrid config’s user files fit their contracts, or the misfit is reported at the file', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-hybrid-check-'));
  writeFileSync(join(dir, 'reservoir.ts'), `import { tf } from 'nunatak/core';
import type { Forcing, ProcessModel } from 'nunatak/hybrid';
export class Reservoir implements ProcessModel<number> {
  name = 'r'; paramNames = ['k']; dynamic: string[] = []; bounds = { k: { lo: 0.1, hi: 0.9, unit: 'd-1' } };
  run(f: Forcing, params: tf.Tensor3D): tf.Tensor2D { return tf.mul(tf.ones([f.nt, f.nb]), tf.mean(params)) as tf.Tensor2D; }
  spinUp(): number { return 0; }
}
`);
  writeFileSync(join(dir, 'loss.mjs'), "import { tf } from 'nunatak/core';\nexport default (pred, obs, mask) => tf.mean(tf.mul(tf.abs(tf.sub(pred, obs)), mask));\n");
  writeFileSync(join(dir, 'no_run.ts'), "export default class NoRun { name = 'n'; paramNames = ['k']; dynamic = []; bounds = { k: { lo: 0, hi: 1, unit: '' } }; spinUp() { return 0; } }\n");
  const cfg = (phy: string) => `save_path: out\ndata: {source: synthetic}\nmodel: {phy: {model: ${phy}}, nn: {model: mlp}}\ntrain: {start: 2000-01-01, end: 2000-02-01, epochs: 1, loss: ./loss.mjs}\n`;
  writeFileSync(join(dir, 'good.yaml'), cfg('./reservoir.ts#Reservoir'));
  writeFileSync(join(dir, 'bad.yaml'), cfg('./no_run.ts'));
  writeFileSync(join(dir, 'typo.yaml'), cfg('./reservoir.ts#Reservoirr'));
  const problems = await runCheck(dir);
  const at = (f: string) => problems.filter((p) => p.file === join(dir, f));
  assert.deepEqual(at('loss.mjs'), [], 'the .mjs loss fits LossFunction');
  const noRun = at('no_run.ts');
  assert.equal(noRun.length, 1, JSON.stringify(problems));
  assert.match(noRun[0]!.message, /^model\.phy\.model: the default export is not a process model .*Property 'run' is missing/s);
  const typo = at('reservoir.ts');
  assert.equal(typo.length, 1, JSON.stringify(problems));
  assert.match(typo[0]!.message, /export 'Reservoirr'.*Property 'Reservoirr' does not exist/s);
  assert.equal(problems.length, 2, JSON.stringify(problems));
});
