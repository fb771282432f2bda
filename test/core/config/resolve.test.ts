import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ConfigTree } from '../../../src/core/config/index.js';
import { NunatakError } from '../../../src/core/errors.js';
import { fixtureCatalog } from '../../fixtures/config/catalog.js';

const experimentFile = 'test/fixtures/config/experiment.yaml';
const catalog = fixtureCatalog();
const proc = (v: ConfigTree, m: string) => (v.processes as ConfigTree)[m] as ConfigTree;

function tmpYaml(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'nk-exp-')), 'exp.yaml');
  writeFileSync(f, text);
  return f;
}

function expectConfigError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NunatakError, String(e));
    assert.equal(e.code, 'CONFIG');
    for (const p of patterns) assert.match(e.describe(), p);
    return true;
  });
}

test('layering: defaults < experiment < command line, in order', () => {
  const r = resolveConfig({
    experimentFile,
    catalog,
    overrides: ['processes.time.end=2050', 'processes.time.end=2060', 'core.backend=cpu'],
  });
  assert.deepEqual(r.selection, { inputs: ['local'], processes: ['smb_simple', 'iceflow', 'time', 'thk'], outputs: ['local'] });
  assert.equal(proc(r.values, 'iceflow').init_arrhenius, 100); // experiment over default 78
  assert.equal(proc(r.values, 'iceflow').init_slidingco, 0.0464); // default kept
  assert.deepEqual(proc(r.values, 'iceflow').emulator, { retrain_freq: 1, lr: 2e-5, pretrained: true });
  assert.equal(proc(r.values, 'time').start, 1900); // experiment
  assert.equal(proc(r.values, 'time').end, 2060); // last override wins
  assert.deepEqual(r.values.core, { backend: 'cpu', seed: 7 });
  assert.deepEqual(Object.keys(r.values.processes as ConfigTree), ['smb_simple', 'iceflow', 'time', 'thk']);
});

test('without an experiment, only sections and command-line selections are present', () => {
  const r = resolveConfig({ catalog, overrides: ['processes=[time]', 'processes.time.end=5'] });
  assert.deepEqual(r.values.processes, { time: { start: 2000, end: 5, save: 10, cfl: 0.3 } });
  assert.deepEqual(r.values.inputs, {});
  assert.deepEqual(r.values.core, { backend: 'wasm', seed: 0 });
});

test('command-line values are coerced from the schema: numbers, lists, booleans, null, strings', () => {
  const r = resolveConfig({
    experimentFile,
    catalog,
    overrides: [
      'processes.iceflow.Nz=4',
      'processes.iceflow.emulator.pretrained=false',
      'processes.iceflow.fieldin=[thk,usurf]',
      'processes.smb_simple.array=[1900, 0.01, 0.005, 3000, 2]',
      'processes.smb_simple.file=params.txt',
      'inputs.local.filename=2100',
      'processes.time={end: 1950, cfl: 0.2}',
    ],
  });
  const ice = proc(r.values, 'iceflow');
  assert.equal(ice.Nz, 4);
  assert.equal((ice.emulator as ConfigTree).pretrained, false);
  assert.deepEqual(ice.fieldin, ['thk', 'usurf']);
  assert.deepEqual(proc(r.values, 'smb_simple').array, [1900, 0.01, 0.005, 3000, 2]);
  assert.equal(proc(r.values, 'smb_simple').file, 'params.txt');
  assert.equal(((r.values.inputs as ConfigTree).local as ConfigTree).filename, '2100'); // string param keeps the text
  assert.deepEqual(proc(r.values, 'time'), { start: 1900, end: 1950, save: 10, cfl: 0.2 });
  const n = resolveConfig({ experimentFile, catalog, overrides: ['processes.smb_simple.file=null', "inputs.local.filename='a,b.nc'"] });
  assert.equal(proc(n.values, 'smb_simple').file, null);
  assert.equal(((n.values.inputs as ConfigTree).local as ConfigTree).filename, 'a,b.nc'); // quoted commas are no sweep
});

test('+ adds keys outside the schema, ++ adds or sets, ~ deletes added keys', () => {
  const r = resolveConfig({
    experimentFile,
    catalog,
    overrides: ['+processes.iceflow.extra.depth=3', '+note=hello', '++processes.time.end=1990', '++tag=[a,b]', '+gone=1', '~gone'],
  });
  assert.deepEqual(proc(r.values, 'iceflow').extra, { depth: 3 });
  assert.equal(r.values.note, 'hello');
  assert.equal(proc(r.values, 'time').end, 1990);
  assert.deepEqual(r.values.tag, ['a', 'b']);
  assert.ok(!('gone' in r.values));
  assert.deepEqual(r.added, [['processes', 'iceflow', 'extra'], ['note'], ['tag']]);
  // an added key can then be set without +
  const s = resolveConfig({ catalog, overrides: ['+x.y=1', 'x.y=2'] });
  assert.deepEqual(s.values.x, { y: 2 });
});

test('command-line errors: unknown keys, types, +/~ misuse, sweeps outside multirun', () => {
  const bad = (o: string, ...re: RegExp[]) => expectConfigError(() => resolveConfig({ experimentFile, catalog, overrides: [o] }), ...re);
  bad('processes.iceflow.exp_glenn=3', /override 'processes.iceflow.exp_glenn=3': unknown key 'processes.iceflow.exp_glenn' — did you mean 'exp_glen'\?/);
  bad('procesess.time.end=1', /unknown key 'procesess' — did you mean 'processes'\?/);
  bad('processes.time.end=abc', /processes.time.end = 'abc' is not a valid number/, /expects a number in a: end time/);
  bad('processes.iceflow.method=emulate', /did you mean 'emulated'/);
  bad('processes.iceflow.Nz=2.5', /not a valid integer/);
  bad('processes.iceflow.fieldin=thk', /not a valid list of string/);
  bad('processes.vert_flow.x=1', /'vert_flow' is not a selected processes module/, /override \/processes: \[smb_simple, iceflow, time, thk, vert_flow\]/);
  bad('processes.iceflw.Nz=1', /unknown key 'processes.iceflw' — did you mean 'iceflow'\?/);
  bad('processes.iceflow=3', /processes.iceflow is a group, not a value/);
  bad('processes.iceflow.Nz.x=3', /processes.iceflow.Nz is a parameter, not a group/);
  bad('~processes.iceflow.Nz', /is a schema parameter and cannot be deleted/);
  bad('~nothing', /unknown key 'nothing'/);
  bad('~a=1', /~ deletes a key and takes no value/);
  bad('+processes.iceflow.Nz=3', /already exists; '\+' adds new keys only/);
  bad('processes.time.end', /has no '=value'/);
  bad('processes..end=1', /is not a key path/);
  bad('processes.time.end=1,2', /several values but this is not a multirun/, /add -m/);
  bad('processes=[smb_simple,iceflw]', /override 'processes=\[smb_simple,iceflw\]': unknown processes module 'iceflw' — did you mean 'iceflow'\?/);
  bad('processes=[time,time]', /module 'time' is selected twice/);
});

test('experiment-file errors carry file:line, key path and did-you-mean', () => {
  let f = tmpYaml('defaults:\n  - override /processes: [time]\nprocesses:\n  time:\n    ends: 3\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:5: unknown key 'processes.time.ends' — did you mean 'end'\\?`));
  f = tmpYaml('defaults:\n  - override /processes: [time]\nprocesses:\n  time:\n    end: soon\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:5: processes.time.end = 'soon' is not a valid number`));
  f = tmpYaml('defaults:\n  - override /process: [time]\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:2: unknown module kind 'process' in defaults — did you mean 'processes'\\?`));
  f = tmpYaml('defaults:\n  - override /inputs: [local]\n  - override /processes: [tim]\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:3: unknown processes module 'tim' — did you mean 'time'`));
  f = tmpYaml('defaults:\n  - override /processes: [time]\nprocesses:\n  iceflow:\n    Nz: 3\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:4: processes.iceflow is set but 'iceflow' is not a selected processes module`));
  f = tmpYaml('cor:\n  seed: 1\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), new RegExp(`${f}:1: unknown key 'cor' — did you mean 'core'\\?`));
  f = tmpYaml('core: 3\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), /core is a group, not a value/);
  f = tmpYaml('defaults: {processes: [time]}\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), /defaults must be a list/);
  f = tmpYaml('- a\n- b\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), /must be a mapping/);
  f = tmpYaml('core:\n  +seed: 3\n');
  expectConfigError(() => resolveConfig({ experimentFile: f, catalog }), /'core.seed' is already a parameter; drop the '\+'/);
});

test('an experiment file may add keys with +key; the simple form without "override /" is accepted', () => {
  const f = tmpYaml('defaults:\n  - _self_\n  - processes: time\ncore:\n  +notes: {who: me}\noutputs:\n');
  const r = resolveConfig({ experimentFile: f, catalog });
  assert.deepEqual(r.selection.processes, ['time']);
  assert.deepEqual((r.values.core as ConfigTree).notes, { who: 'me' });
});

test('values of modules deselected on the command line are dropped with them', () => {
  const r = resolveConfig({ experimentFile, catalog, overrides: ['processes=[time,thk]'] });
  assert.deepEqual(Object.keys(r.values.processes as ConfigTree), ['time', 'thk']);
  assert.equal(proc(r.values, 'time').start, 1900);
});
