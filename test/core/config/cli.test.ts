import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/nunatak.js', ...args], { encoding: 'utf8', timeout: 60000 });
const cat = ['--catalog', 'test/fixtures/config/catalog.ts'];
const exp = 'test/fixtures/config/experiment.yaml';

test('nunatak config show prints the resolved config and saves it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-cli-'));
  const r = run('config', 'show', exp, 'processes.time.end=2042', '+note=hi', ...cat, '--save', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /- override \/processes: \[smb_simple, iceflow, time, thk\]/);
  assert.match(r.stdout, / {4}end: 2042\n/);
  assert.match(r.stdout, /init_arrhenius: 100/);
  assert.match(r.stdout, /\+note: hi/);
  assert.equal(readFileSync(join(dir, 'config.yaml'), 'utf8'), r.stdout);
});

test('nunatak config show -m prints one config per run of the sweep', () => {
  const r = run('config', 'show', exp, '-m', 'processes.time.end=2080,2110', 'core.seed=1,2', ...cat);
  assert.equal(r.status, 0, r.stderr);
  const labels = [...r.stdout.matchAll(/^# run (\d+): (.*)$/gm)].map((m) => m[2]);
  assert.deepEqual(labels, [
    'processes.time.end=2080,core.seed=1',
    'processes.time.end=2080,core.seed=2',
    'processes.time.end=2110,core.seed=1',
    'processes.time.end=2110,core.seed=2',
  ]);
});

test('nunatak config show fails with exit 2 and a did-you-mean for a bad key', () => {
  const r = run('config', 'show', exp, 'processes.iceflow.init_arhenius=3', ...cat);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\[CONFIG\] override 'processes.iceflow.init_arhenius=3': unknown key .* did you mean 'init_arrhenius'\?/);
});

test('nunatak help <module> prints parameters with type, units, default and help', () => {
  const r = run('help', 'iceflow', ...cat);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^processes\/iceflow/);
  assert.match(r.stdout, /init_arrhenius\s+number\s+MPa-3 a-1\s+78\s+Arrhenius factor/);
  assert.match(r.stdout, /emulator\.retrain_freq\s+integer\s+iterations\s+10\s+retrain the emulator every N steps/);
  assert.match(r.stdout, /method\s+enum \(emulated\|solved\|diagnostic\)\s+-\s+"emulated"/);
  // "local" exists as an input and an output: both are shown
  const both = run('help', 'local', ...cat);
  assert.match(both.stdout, /inputs\/local[\s\S]*outputs\/local/);
  const user = run('help', 'processes/time', ...cat, '--user', 'test/fixtures/config/user');
  assert.match(user.stdout, /processes\/time \(user\)[\s\S]*dt\s+number\s+a\s+1\s+fixed time step/);
  const bad = run('help', 'icflow', ...cat);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no module named 'icflow' — did you mean 'iceflow'\?/);
  const cmd = run('help', 'doctor');
  assert.equal(cmd.status, 0);
  assert.match(cmd.stdout, /Usage: nunatak doctor/);
});
