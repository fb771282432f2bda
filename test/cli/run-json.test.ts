// `nunatak --json run` on a tiny synthetic valley: every stdout line is JSON,
// the per-save and final numbers are JSON numbers (not text in a message),
// and the last line is the run's result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeExperiment, valleyYaml } from '../sim/engine-helpers.js';

const BIN = resolve('bin/nunatak.js');
const yaml = valleyYaml({ time: 'start: 0, end: 20, save: 10' }).replace('sim: {progress: false}\n', '');

test('nunatak --json run: stdout is JSON lines only, numbers as fields', () => {
  const root = makeExperiment({ 'experiment.yaml': yaml });
  const r = spawnSync(process.execPath, [BIN, '--json', 'run', 'experiment.yaml', '--out', 'out'], { cwd: root, encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '' } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 3, r.stdout);
  const recs = lines.map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      assert.fail(`not a JSON line: ${l}`);
    }
  });
  // per save (t = 10, 20 and the start): t, dt, volume, area as numbers
  const saves = recs.filter((x) => 'volume_km3' in x && x.event === undefined);
  assert.ok(saves.length >= 2, JSON.stringify(recs));
  for (const s of saves) for (const k of ['t', 'dt', 'it', 'volume_km3', 'area_km2']) assert.equal(typeof s[k], 'number', `${k} in ${JSON.stringify(s)}`);
  const done = recs.at(-1)!;
  assert.equal(done.event, 'done');
  assert.equal(done.t, 20);
  for (const k of ['volume_km3', 'area_km2']) assert.ok(typeof done[k] === 'number' && (done[k] as number) > 0, k);
  // the final numbers are the last save's
  assert.equal(done.volume_km3, saves.at(-1)!.volume_km3);
  assert.equal(resolve(root, done.folder as string), join(root, 'out'));
  assert.ok(existsSync(join(root, 'out', 'config.yaml')));
  // nothing is printed as text on stdout
  assert.doesNotMatch(r.stdout, /^done:/m);
});
