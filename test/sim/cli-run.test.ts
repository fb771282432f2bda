/**
 * `nunatak run` end to end in a subprocess: the progress line (t, dt,
 * volume km³, area km²) at each save, the default run folder
 * outputs/<date>/<time>/ under the current folder, and a CLI error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const BIN = resolve('bin/nunatak.js');

test('nunatak run prints progress and writes outputs/<date>/<time>/config.yaml', () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml().replace('sim: {progress: false}\n', '') });
  const r = spawnSync(process.execPath, [BIN, 'run', 'experiment.yaml', 'processes.time.end=20'], { cwd: root, encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /t = 20 a {2}dt = [\d.]+ a {2}it = \d+ {2}volume = [\d.]+ km³ {2}area = [\d.]+ km²/);
  assert.match(r.stdout, /done: t = 20 a/);
  const days = readdirSync(join(root, 'outputs'));
  assert.equal(days.length, 1);
  assert.match(days[0], /^\d{4}-\d{2}-\d{2}$/);
  const times = readdirSync(join(root, 'outputs', days[0]));
  assert.match(times[0], /^\d{2}-\d{2}-\d{2}$/);
  assert.ok(existsSync(join(root, 'outputs', days[0], times[0], 'config.yaml')));
});

test('nunatak run reports a bad module name with its suggestion and exits non-zero', () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml() });
  const r = spawnSync(process.execPath, [BIN, 'run', root, 'processes=[smb_simple,iceflow,tme,thk]'], { cwd: root, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown processes module 'tme' — did you mean 'time'/);
});
