// `nunatak hybrid train|test|simulate <config>` end to end through the CLI, and a config typo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/nunatak.js', ...args], { encoding: 'utf8', timeout: 240000 });

test('hybrid train → test → simulate via the CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-cli-'));
  const cfg = join(root, 'c.yaml');
  writeFileSync(cfg, stringify({
    seed: 2, save_path: 'run', backend: 'cpu',
    data: { path: resolve('data/camels_us'), basins: ['01022500'], attributes: [] },
    model: { rho: 30, warm_up: 10, phy: { model: 'hbv1.0', nmul: 2 }, nn: { model: 'calibration' } },
    train: { start: '2000-01-01', end: '2000-03-31', epochs: 2, batch_size: 2, iterations: 2, optimizer: 'adam', learning_rate: 0.05 },
    test: { start: '2000-04-01', end: '2000-05-31' },
    simulation: { start: '2000-06-01', end: '2000-06-30' },
  }));
  for (const mode of ['train', 'test', 'simulate']) {
    const r = cli('hybrid', mode, cfg);
    assert.equal(r.status, 0, `${mode}: ${r.stderr}${r.stdout}`);
  }
  assert.ok(existsSync(join(root, 'run', 'model_ep2.json')));
  const m = JSON.parse(readFileSync(join(root, 'run', 'test_2000-04-01_2000-05-31', 'metrics.json'), 'utf8'));
  assert.ok(Number.isFinite(m['01022500'].nse));
  assert.ok(existsSync(join(root, 'run', 'simulation_2000-06-01_2000-06-30', 'streamflow.csv')));
  writeFileSync(cfg, 'save_path: run\ndata: {}\nmodel: {phy: {}, nn: {}}\ntrain: {start: 2000-01-01, end: 2000-02-01, epochs: 1, bach_size: 3}\n');
  const bad = cli('hybrid', 'train', cfg);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr + bad.stdout, /unknown key 'train.bach_size'.*batch_size/);
  rmSync(root, { recursive: true, force: true });
});
