// The distributed executor serves the other faces unchanged: a sim multirun
// and a models ensemble rollout run on a throwaway redis-server with two real
// `nunatak worker` processes and give exactly what the inline executor gives
// (same member volumes; same NetCDF values, max |Δ| = 0).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRedis, startWorkerProcess, stopProcess, type RedisServer } from '../helpers/redis-server.js';
import { planMultirun } from '../../src/sim/run.js';
import { runMultirun } from '../../src/sim/multirun.js';
import { loadRunConfig } from '../../src/models/run-config.js';
import { runModels } from '../../src/models/run.js';
import { makeExperiment, valleyYaml } from '../sim/engine-helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const QUEUE = 'nunatak-tasks'; // the default queue the faces use
let redis: RedisServer;
const workers: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nk-faces-dist-'));

before(async () => {
  redis = await startRedis();
  workers.push(...(await Promise.all([startWorkerProcess(redis.url, QUEUE), startWorkerProcess(redis.url, QUEUE)])));
});

after(async () => {
  for (const w of workers) await stopProcess(w);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('sim multirun on the distributed executor equals the inline run', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml() });
  const plan = planMultirun({ experiment: root, overrides: ['processes.smb_simple.ela=2800,3000'], outDir: join(root, 'd') });
  const dist = [];
  for await (const m of runMultirun(plan.members, { executor: 'distributed', redis: redis.url })) dist.push(m);
  const inl = [];
  for await (const m of runMultirun(plan.members.map((m) => ({ ...m, outDir: m.outDir + '-inline' })), { executor: 'inline' })) inl.push(m);
  dist.sort((a, b) => a.index - b.index);
  inl.sort((a, b) => a.index - b.index);
  assert.equal(dist.length, 2);
  assert.deepEqual(dist.map((m) => m.summary.volume), inl.map((m) => m.summary.volume));
  assert.ok(dist[0].summary.volume > dist[1].summary.volume, 'a lower ELA grows more ice');
});

test('models ensemble rollout on the distributed executor equals the inline rollout', async () => {
  const data = join(ROOT, 'data', 'models', 'A1B_north_america.nc');
  const model = join(ROOT, 'examples', 'models', 'persistence');
  const cfg = (name: string, executor: string) => {
    const p = join(dir, `${name}.yaml`);
    writeFileSync(
      p,
      `model: ${model}\ndata: {file: ${data}, lexicon: {t2m: air_temperature}}\nstart_times: ["2041-06-01", "2050-06-01"]\nsteps: 3\n` +
        `members: 4\nbatch_size: 2\nperturbation: {method: gaussian, amplitude: {t2m: 0.5}, seed: 7}\nexecutor: ${executor}\noutput: {path: ${join(dir, name + '.nc')}}\n`,
    );
    return loadRunConfig(p);
  };
  for (const [name, ex] of [
    ['inline', '{kind: inline}'],
    ['dist', `{kind: distributed, redis: "${redis.url}"}`],
  ]) {
    const c = cfg(name, ex);
    await runModels(c.cfg, { configText: c.text });
  }
  const py = `import netCDF4 as nc, numpy as np
a = nc.Dataset('${dir}/inline.nc')['t2m'][:]; b = nc.Dataset('${dir}/dist.nc')['t2m'][:]
print(a.shape == b.shape, float(np.abs(a - b).max()), float(a[:, 1:].std(1).mean()))`;
  const [same, maxd, spread] = execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }).trim().split(' ');
  assert.equal(same, 'True');
  assert.equal(Number(maxd), 0);
  assert.ok(Number(spread) > 0.01, 'members are perturbed');
});
