/**
 * `nunatak hybrid simulate` with fixed HBV parameters and no network: the
 * streamflow it writes equals the op-by-op TF.js HBV reference run over the
 * same forcing (warm-up included, then cut) within 1e-4 mm/d; a CSV table
 * gives the same result as the inline mapping; bad tables are clear errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { tf, ready } from '../../src/core/tensor/index.js';
import { hbvReference } from '../../src/hybrid/hbv/reference.js';
import { hbvLayout } from '../../src/hybrid/hbv/params.js';
import { parseConfig } from '../../src/hybrid/train/config.js';
import { daysBefore, loadDataset } from '../../src/hybrid/train/data-setup.js';
import { evaluate } from '../../src/hybrid/train/trainer.js';
import { fixedParamsModel } from '../../src/hybrid/fixed-params.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/nunatak.js', ...args], { encoding: 'utf8', timeout: 240000 });
const BASINS = ['01022500', '01547700'];
const P1 = { BETA: 2.1, FC: 320, K0: 0.2, K1: 0.08, K2: 0.02, LP: 0.6, PERC: 1.8, UZL: 25, TT: 0.3, CFMAX: 3.2, CFR: 0.05, CWH: 0.1 };
const P2 = { ...P1, BETA: 3.5, FC: 180, K1: 0.15, TT: -0.8 };

function config(root: string, parameters: unknown, extra: Record<string, unknown> = {}): string {
  const cfg = join(root, 'c.yaml');
  writeFileSync(cfg, stringify({
    save_path: 'run', backend: 'cpu',
    data: { path: resolve('data/camels_us'), basins: BASINS, attributes: [] },
    model: { rho: 30, warm_up: 60, phy: { model: 'hbv1.0', nmul: 1, routing: false, parameters }, nn: { model: 'none' } },
    simulation: { start: '2000-03-01', end: '2000-05-31' },
    ...extra,
  }));
  return cfg;
}

function simulated(root: string): number[][] {
  const lines = readFileSync(join(root, 'run', 'simulation_2000-03-01_2000-05-31', 'streamflow.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], `date,${BASINS.map((b) => `${b}_sim,${b}_obs`).join(',')}`);
  return lines.slice(1).map((l) => l.split(',').filter((_, k) => k % 2 === 1).map(Number));
}

test('hybrid simulate with fixed parameters equals the op-by-op HBV reference (1e-4 mm/d); CSV = inline', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-fixed-'));
  try {
    const r = cli('hybrid', 'simulate', config(root, { [BASINS[0]]: P1, default: P2 }));
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const got = simulated(root);
    // the independent path: TF.js op-by-op HBV over warm-up + period from the default initial state
    await ready('cpu');
    const cfg = parseConfig({ save_path: 'x', data: { path: resolve('data/camels_us'), basins: BASINS }, model: { phy: {}, nn: {} } });
    const ds = loadDataset(cfg, daysBefore('2000-03-01', 60), '2000-05-31');
    const { names, flags } = hbvLayout('hbv1.0');
    const params = tf.tensor3d([P1, P2].flatMap((p) => names.map((n) => (p as Record<string, number>)[n])), [2, names.length, 1]);
    const forcing = { P: tf.tensor2d(ds.P, [ds.nt, 2]), T: tf.tensor2d(ds.T, [ds.nt, 2]), PET: tf.tensor2d(ds.PET, [ds.nt, 2]) };
    const q = hbvReference(forcing, params, flags).dataSync();
    assert.equal(got.length, ds.nt - 60);
    for (let t = 0; t < got.length; t++) {
      for (let b = 0; b < 2; b++) {
        const ref = q[(t + 60) * 2 + b];
        assert.ok(Math.abs(got[t][b] - ref) <= 1e-4 * Math.max(1, Math.abs(ref)), `day ${t}, basin ${BASINS[b]}: ${got[t][b]} vs reference ${ref}`);
      }
    }
    // the same parameters as a CSV table, in-process this time
    const csv = join(root, 'params.csv');
    writeFileSync(csv, `basin,${Object.keys(P1).join(',')}\n${BASINS[0]},${Object.values(P1).join(',')}\ndefault,${Object.values(P2).join(',')}\n`);
    const res = await evaluate(parseConfig(JSON.parse(JSON.stringify({ ...cfg, save_path: join(root, 'run2'), model: { ...cfg.model, warm_up: 60, phy: { model: 'hbv1.0', nmul: 1, routing: false, parameters: csv }, nn: { model: 'none' } }, simulation: { start: '2000-03-01', end: '2000-05-31' } }))), 'simulation');
    for (let t = 0; t < got.length; t++) for (let b = 0; b < 2; b++) assert.ok(Math.abs(res.sim[t * 2 + b] - got[t][b]) < 1e-5);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('fixed parameters: missing, unknown, out-of-bound values and training are clear errors', () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-hybrid-fixed-bad-'));
  try {
    const cases: [unknown, RegExp][] = [
      [{ [BASINS[0]]: P1 }, /no parameters for basin 01547700/],
      [{ default: { ...P1, BETA: 9 } }, /BETA = 9 is outside its bounds \[1, 6\]/],
      [{ default: { ...P1, BEAT: 2 } }, /sets 'BEAT', which hbv1\.0 does not have.*BETA/],
      [{ default: { ...P1, FC: undefined } }, /has no value for FC/],
      [undefined, /needs model\.phy\.parameters/],
    ];
    for (const [params, re] of cases) {
      const r = cli('hybrid', 'simulate', config(root, params));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr + r.stdout, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const t = cli('hybrid', 'train', config(root, { default: P1 }, { train: { start: '2000-01-01', end: '2000-12-31', epochs: 1 } }));
    assert.notEqual(t.status, 0);
    assert.match(t.stderr + t.stdout, /nothing to train/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the config examples in docs/hybrid.md are valid as written (schema, basin ids as strings, fixed parameters in bounds)', () => {
  const doc = readFileSync('docs/hybrid.md', 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2);
  for (const b of blocks) {
    const cfg = parseConfig(parse(b), 'docs/hybrid.md');
    for (const id of cfg.data.basins ?? []) assert.match(id, /^\d{8}$/, `basin id ${id} lost its leading zero`);
    if (cfg.model.nn.model === 'none') fixedParamsModel(cfg, cfg.data.basins!);
  }
});
