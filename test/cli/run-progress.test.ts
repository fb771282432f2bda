// `nunatak run` draws a progress bar (simulated years, rate, ETA) on a
// terminal only: a pty through script(1). With NUNATAK_QUIET there is no bar,
// and --json stays JSON lines only (run-json.test.ts; the bar needs normal mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { makeExperiment, valleyYaml } from '../sim/engine-helpers.js';

const BIN = resolve('bin/nunatak.js');
const yaml = valleyYaml({ time: 'start: 0, end: 20, save: 10' }).replace('sim: {progress: false}\n', '');

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
test('nunatak run draws a progress bar with ETA on a terminal only', { skip: !hasScript && 'no script(1) to make a pty' }, () => {
  const root = makeExperiment({ 'experiment.yaml': yaml });
  const cmd = (args: string) => `'${process.execPath}' '${BIN}' ${args}`;
  // a pty: stdout and stderr both go to the typescript output
  const tty = spawnSync('script', ['-qec', cmd('run experiment.yaml --out tty'), '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '' } });
  assert.equal(tty.status, 0, tty.stdout);
  assert.match(tty.stdout, /run \[[█░]+\] \d+(\.\d+)?\/20 a \| [\d.]+ a\/s \| ETA /);
  assert.match(tty.stdout, /done: t = 20 a/);
  assert.doesNotMatch(tty.stdout, /t = 10 a {2}dt = /, 'the bar replaces the per-save lines');
  // NUNATAK_QUIET on a terminal: no bar, the result only
  const quiet = spawnSync('script', ['-qec', cmd('run experiment.yaml --out quiet'), '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '1' } });
  assert.equal(quiet.status, 0, quiet.stdout);
  assert.doesNotMatch(quiet.stdout, /ETA/);
  assert.match(quiet.stdout, /done: t = 20 a/);
});
