// Trainer on two real CAMELS basins (tiny model): checkpoints, exact resume,
// seed determinism, test metrics files, config typo errors.
import { PNG } from 'pngjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig, loadConfig, type HybridConfig } from '../../src/hybrid/train/config.js';
import { train, evaluate } from '../../src/hybrid/train/trainer.js';
import { isNunatakError } from '../../src/core/errors.js';

function cfgFor(save: string, epochs: number): HybridConfig {
  return parseConfig({
    seed: 5,
    save_path: save,
    backend: 'cpu',
    data: { path: resolve('data/camels_us'), basins: ['01022500', '02064000'], attributes: ['p_mean', 'aridity'] },
    model: { rho: 40, warm_up: 20, phy: { model: 'hbv1.0', nmul: 2, dynamic_params: ['BETA'] }, nn: { model: 'lstm', hidden: 6, dropout: 0.3 } },
    train: { start: '2000-01-01', end: '2000-06-30', epochs, batch_size: 3, iterations: 2, optimizer: 'adam', learning_rate: 0.01, lr_scheduler: { type: 'step', step_size: 1, gamma: 0.5 }, loss: 'rmse_comb' },
    test: { start: '2000-07-01', end: '2000-09-30' },
  });
}

test('train → checkpoints; resume from epoch 1 gives the same weights as 2 epochs straight; test writes metrics', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-train-'));
  const a = join(root, 'a'), b = join(root, 'b');
  const ra = await train(cfgFor(a, 2));
  assert.equal(ra.losses.length, 2);
  assert.ok(ra.losses.every(Number.isFinite));
  await train(cfgFor(b, 1));
  const rb = await train(cfgFor(b, 2)); // resumes at epoch 1
  assert.equal(rb.losses.length, 1);
  assert.ok(Math.abs(rb.losses[0] - ra.losses[1]) < 1e-6, `resumed loss ${rb.losses[0]} vs ${ra.losses[1]}`);
  const wa = JSON.parse(readFileSync(join(a, 'model_ep2.json'), 'utf8')).weights;
  const wb = JSON.parse(readFileSync(join(b, 'model_ep2.json'), 'utf8')).weights;
  for (const k of Object.keys(wa)) assert.equal(wa[k].data, wb[k].data, `weight ${k} differs after resume`);
  assert.ok(existsSync(join(a, 'normalization_statistics.json')));
  const ev = await evaluate(cfgFor(a, 2), 'test');
  assert.equal(ev.dates[0], '2000-07-01');
  const m = JSON.parse(readFileSync(join(ev.dir, 'metrics.json'), 'utf8'));
  assert.deepEqual(Object.keys(m), ['01022500', '02064000']);
  for (const k of ['nse', 'kge', 'kge_12', 'corr', 'rmse', 'bias', 'fhv', 'flv']) assert.ok(Number.isFinite(m['01022500'][k]), k);
  for (const id of ['01022500', '02064000']) {
    const img = PNG.sync.read(readFileSync(join(ev.dir, `${id}.png`)));
    assert.deepEqual([img.width, img.height], [960, 400], 'hydrograph PNG size');
  }
  const agg = JSON.parse(readFileSync(join(ev.dir, 'metrics_agg.json'), 'utf8'));
  assert.ok(Number.isFinite(agg.nse.median));
  rmSync(root, { recursive: true, force: true });
});

test('config errors: typo keys, unknown dynamic parameter, unknown basin, missing file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-cfg-'));
  const f = join(root, 'c.yaml');
  writeFileSync(f, 'save_path: out\ndata: {path: x}\nmodel:\n  phy: {model: hbv1.0, nmull: 4}\n  nn: {}\n');
  assert.throws(() => loadConfig(f), (e) => isNunatakError(e, 'CONFIG') && /unknown key 'model.phy.nmull'.*nmul/.test(e.message));
  writeFileSync(f, 'save_path: out\ndata: {}\nmodel: {phy: {}, nn: {}}\ntrain: {start: 2000-01-01, end: 2000-02-01, epochs: 1, optimiser: adam}\n');
  assert.throws(() => loadConfig(f), (e) => isNunatakError(e, 'CONFIG') && /train.optimiser.*optimizer/.test(e.message));
  assert.throws(() => loadConfig(join(root, 'nope.yaml')), (e) => isNunatakError(e, 'NOT_FOUND'));
  const c = cfgFor(join(root, 'x'), 1);
  c.model.phy.dynamic_params = ['BETTA'];
  await assert.rejects(train(c), (e) => isNunatakError(e, 'CONFIG') && /BETTA/.test(e.message) && /did you mean BETA/.test(e.hint ?? ''));
  const d = cfgFor(join(root, 'y'), 1);
  d.data.basins = ['01022500', '9999'];
  await assert.rejects(train(d), (e) => isNunatakError(e, 'NOT_FOUND') && /unknown basin id '9999'/.test(e.message));
  rmSync(root, { recursive: true, force: true });
});

test('synthetic data source: any number of basins × days trains and simulates (MLP, HBV 2.0 with leakage)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-syn-'));
  const cfg = parseConfig({
    seed: 1, save_path: root, backend: 'cpu',
    data: { source: 'synthetic', synthetic: { basins: 5, days: 200, attributes: 3, start: '2000-01-01' } },
    model: { rho: 50, warm_up: 30, phy: { model: 'hbv2.0', nmul: 2 }, nn: { model: 'mlp', mlp_hidden: 8, dropout: 0 } },
    train: { start: '2000-01-01', end: '2000-05-31', epochs: 1, batch_size: 4, iterations: 2, optimizer: 'adadelta', learning_rate: 1 },
    simulation: { start: '2000-06-01', end: '2000-07-18' },
  });
  const r = await train(cfg);
  assert.ok(Number.isFinite(r.losses[0]));
  const ev = await evaluate(cfg, 'simulation');
  assert.equal(ev.ids.length, 5);
  assert.equal(ev.dates.length, 48);
  assert.ok(ev.sim.every((v) => Number.isFinite(v) && v >= 0));
  rmSync(root, { recursive: true, force: true });
});
