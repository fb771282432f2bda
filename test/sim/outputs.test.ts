/**
 * plot2d and summary write valid PNGs and a CSV whose volume equals the
 * state's; a multirun sweep writes numbered member folders each with its own
 * config, on the inline and threads executors with equal results; docs/sim.md's module reference matches the YAML defaults.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { planMultirun, runExperiment } from '../../src/sim/run.js';
import { runMultirun } from '../../src/sim/multirun.js';
import { moduleReference, spliceReference } from '../../src/sim/reference.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

test('plot2d and summary: one PNG per save, summary.csv volume = final state volume', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml({ outputs: ['plot2d', 'summary'], procs: '  smb_simple: {ela: 2900}\n' }) });
  const out = join(root, 'o');
  const r = await runExperiment({ experiment: root, outDir: out });
  for (const f of ['velbar_mag-0.png', 'velbar_mag-20.png', 'velbar_mag-40.png', 'summary-volume.png', 'summary-area.png']) {
    const png = PNG.sync.read(readFileSync(join(out, f)));
    assert.ok(png.width > 200 && png.height > 200, f);
  }
  const rows = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 't_a,volume_km3,area_km2');
  const last = rows[rows.length - 1].split(',').map(Number);
  assert.equal(last[0], 40);
  assert.ok(Math.abs(last[1] - r.volume) < 1e-12 && r.volume > 0);
});

test('multirun: numbered member folders with their own resolved config', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml() });
  const plan = planMultirun({ experiment: root, overrides: ['processes.smb_simple.ela=2800,3000'], outDir: join(root, 'm') });
  const got = [];
  for await (const m of runMultirun(plan.members, { executor: 'inline' })) got.push(m);
  assert.equal(got.length, 2);
  for (const k of [0, 1]) assert.ok(existsSync(join(root, 'm', String(k), 'config.yaml')));
  assert.match(readFileSync(join(root, 'm', '1', 'config.yaml'), 'utf8'), /ela: 3000/);
  const v = got.sort((a, b) => a.index - b.index).map((m) => m.summary.volume);
  assert.ok(v[0] > v[1], 'a lower ELA grows more ice');
  assert.match(readFileSync(join(root, 'm', 'multirun.yaml'), 'utf8'), /1: "processes.smb_simple.ela=3000"/);
});

test('docs/sim.md module reference is up to date with the YAML defaults', async () => {
  const text = readFileSync('docs/sim.md', 'utf8');
  assert.equal(spliceReference(text, await moduleReference()), text, 'run npx tsx scripts/sim-reference.ts');
});

test('multirun on the threads executor: members run in worker threads into their folders', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml() });
  const plan = planMultirun({ experiment: root, overrides: ['processes.smb_simple.ela=2800,3000'], outDir: join(root, 't') });
  const got = [];
  for await (const m of runMultirun(plan.members, { executor: 'threads', workers: 2 })) got.push(m);
  got.sort((a, b) => a.index - b.index);
  assert.equal(got.length, 2);
  assert.equal(got[1].summary.outDir, join(root, 't', '1'));
  // the same members run inline give the same volumes
  const inline = [];
  for await (const m of runMultirun(plan.members.map((m) => ({ ...m, outDir: m.outDir + '-inline' })), { executor: 'inline' })) inline.push(m);
  inline.sort((a, b) => a.index - b.index);
  assert.deepEqual(got.map((m) => m.summary.volume), inline.map((m) => m.summary.volume));
});
