/**
 * Ctrl-C during `nunatak run`: after the first save a SIGINT stops the run at
 * the end of its step; the CLI says where it stopped, that the outputs are
 * complete up to the last save, and prints the `--restart` command — which,
 * run as printed (with its own --out), continues from that save.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openDataset } from '../../src/io/netcdf/index.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const BIN = resolve('bin/nunatak.js');

test('Ctrl-C after the first save prints what was saved and a --restart hint that continues the run', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml({ outputs: ['write_ncdf'], time: 'start: 0, end: 100000, save: 5' }).replace('sim: {progress: false}\n', '') });
  const out = join(root, 'run1');
  const child = spawn(process.execPath, [BIN, 'run', join(root, 'experiment.yaml'), '--out', out], { cwd: root, env: { ...process.env, NUNATAK_QUIET: '' } });
  let stderr = '';
  let signalled = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr += s;
    // the first save after t = 0: the file then holds records 0 and 5
    if (!signalled && /t = 5 a /.test(stderr)) {
      signalled = true;
      child.kill('SIGINT');
    }
  });
  const status = await new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  assert.ok(signalled, `never saw the first save: ${stderr}`);
  assert.notEqual(status, 0, 'an interrupted run exits non-zero');
  assert.match(stderr, /stopping at the end of this step/);
  const msg = /\[CANCELLED\] interrupted at t = ([\d.]+) a \(iteration \d+\); the outputs in (\S+) are complete up to t = ([\d.]+) a/.exec(stderr);
  assert.ok(msg, stderr);
  assert.equal(msg[2], out);
  const saved = Number(msg[3]);
  assert.ok(saved >= 5 && saved % 5 === 0, `last save ${saved}`);
  assert.ok(Number(msg[1]) >= saved);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  const hint = /hint: continue with: (nunatak run .*)$/m.exec(stderr);
  assert.ok(hint, stderr);
  assert.equal(hint[1], `nunatak run ${join(root, 'experiment.yaml')} --restart ${join(out, 'output.nc')}@${saved}`);

  // the records up to the last save are all there
  const ds = await openDataset(join(out, 'output.nc'));
  const times = Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
  ds.close();
  assert.equal(times[times.length - 1], saved);

  // run the hint as printed (nunatak → bin/nunatak.js), ending 10 a later
  const args = hint[1].split(' ').slice(1);
  const re = spawnSync(process.execPath, [BIN, ...args, '--out', join(root, 'run2'), `processes.time.end=${saved + 10}`], { cwd: root, encoding: 'utf8' });
  assert.equal(re.status, 0, re.stderr);
  const ds2 = await openDataset(join(root, 'run2', 'output.nc'));
  const t2 = Array.from(ds2.read('time', undefined, 'float64').data as Float64Array);
  ds2.close();
  assert.deepEqual(t2, [saved, saved + 5, saved + 10], 'the restart continues from the last save');
});
