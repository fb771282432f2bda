/** Engine errors: each names the module, key or field and what was expected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { isNunatakError } from '../../src/core/errors.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

async function failure(files: Record<string, string>, overrides: string[] = []): Promise<Error & { code?: string; hint?: string }> {
  const root = makeExperiment(files);
  try {
    await runExperiment({ experiment: root, outDir: join(root, 'o'), overrides });
  } catch (e) {
    assert.ok(isNunatakError(e), `expected a NunatakError, got ${String(e)}`);
    return e as Error & { code?: string; hint?: string };
  }
  throw new Error('the run did not fail');
}

test('a module listed but not found suggests close names', async () => {
  const e = await failure({ 'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'iceflw', 'time', 'thk'] }) });
  assert.equal(e.code, 'CONFIG');
  assert.match(e.message, /unknown processes module 'iceflw' — did you mean 'iceflow'/);
});

test('a module reading a field nobody writes names the module and the field', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['melt', 'iceflow', 'time', 'thk'] }),
    'user/code/processes/melt.ts': 'export const fields = { reads: ["air_temp"], writes: ["smb"] };\nexport function initialize() {}\nexport function update() {}\nexport function finalize() {}\n',
  });
  assert.equal(e.code, 'CONFIG');
  assert.match(e.message, /processes module 'melt' reads field 'air_temp' but no earlier module produces it/);
  assert.match(e.hint!, /no selected module writes 'air_temp'/);
});

test('a field written only by a later module says which module to move', async () => {
  const e = await failure({ 'experiment.yaml': valleyYaml({ processes: ['thk', 'smb_simple', 'iceflow', 'time'] }) });
  assert.match(e.message, /processes module 'thk' reads field 'ubar'/);
  assert.match(e.hint!, /'iceflow' writes 'ubar' but runs after 'thk'/);
});

test('a user module missing a lifecycle function names the file and the function', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['mysmb', 'iceflow', 'time', 'thk'] }),
    'user/code/processes/mysmb.ts': 'export function initialize() {}\nexport function update() {}\n',
  });
  assert.equal(e.code, 'PLUGIN');
  assert.match(e.message, /processes module 'mysmb' \(.*user\/code\/processes\/mysmb\.ts\) is missing finalize\(cfg, state\)/);
});

test('an unknown config key fails with "did you mean"', async () => {
  const e = await failure({ 'experiment.yaml': valleyYaml() }, ['processes.time.ends=10']);
  assert.equal(e.code, 'CONFIG');
  assert.match(e.message, /unknown key 'processes\.time\.ends' — did you mean 'end'/);
});

const poison = (value: string) =>
  'export function initialize() {}\nexport function finalize() {}\n' +
  `export function update(_c: any, s: any) { if (s.it === 3) s.get("thk").data[2 * s.grid.nx + 5] = ${value}; }\n`;

test('NaN thickness stops the run with the iteration, time, step and location', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'iceflow', 'time', 'thk', 'bad'] }),
    'user/code/processes/bad.ts': poison('NaN'),
  });
  assert.equal(e.code, 'NUMERIC');
  assert.match(e.message, /thk is NaN at row j = 2, column i = 5, x = 1000 m, y = 400 m after processes module 'bad' \(.*bad\.ts\) ran \(iteration 3, t = [\d.]+ a, dt = [\d.]+ a\)/);
  assert.match(e.hint!, /'bad'.* wrote it in update/);
});

test('negative thickness stops the run the same way', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'iceflow', 'time', 'thk', 'bad'] }),
    'user/code/processes/bad.ts': poison('-1'),
  });
  assert.equal(e.code, 'NUMERIC');
  assert.match(e.message, /thk is negative \(-1\) at row j = 2, column i = 5/);
});

test('negative thickness written by a module before thk names that module (thk would have clipped it)', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'iceflow', 'bad', 'time', 'thk'] }),
    'user/code/processes/bad.ts': poison('-1'),
  });
  assert.equal(e.code, 'NUMERIC');
  assert.match(e.message, /thk is negative \(-1\) .* after processes module 'bad'/);
});

test('with sim.debug a NaN in any field is traced to the module that wrote it, not "lower cfl"', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'bad', 'iceflow', 'time', 'thk'] }),
    'user/code/processes/bad.ts': 'export function initialize() {}\nexport function finalize() {}\nexport function update(_c: any, s: any) { if (s.it === 2) s.get("smb").data[7] = NaN; }\n',
  }, ['sim.debug=true']);
  assert.equal(e.code, 'NUMERIC');
  assert.match(e.message, /smb is NaN .* after processes module 'bad'/);
  assert.doesNotMatch(e.hint!, /cfl/);
});

test('no time module is an error, not a 0-year run; a failed set-up leaves no run folder', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'iceflow', 'thk'] }) });
  await assert.rejects(runExperiment({ experiment: root, outDir: join(root, 'o') }), (e: Error & { code?: string }) => e.code === 'CONFIG' && /no clock/.test(e.message));
  const root2 = makeExperiment({ 'experiment.yaml': valleyYaml({ procs: '  smb_simple: {file: missing.txt}\n' }) });
  await assert.rejects(runExperiment({ experiment: root2, outDir: join(root2, 'o') }), /missing\.txt does not exist/);
  assert.equal(existsSync(join(root2, 'o')), false, 'the failed run left its folder');
});

test("iceflow method 'emulated' without an emulator folder names the key", async () => {
  const e = await failure({ 'experiment.yaml': valleyYaml() }, ['processes.iceflow.method=emulated']);
  assert.match(e.message, /processes\.iceflow\.emulator is not set/);
});

test('an input that does not create a field it declares is named', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ inputs: ['synthetic', 'extra'] }),
    'user/code/inputs/extra.ts': 'export const fields = { writes: ["air_temp"] };\nexport function run() {}\n',
  });
  assert.equal(e.code, 'PLUGIN');
  assert.match(e.message, /inputs module 'extra' declares writes 'air_temp' but did not create it/);
});

test('a user module reading a parameter its YAML does not define: CONFIG error at that line, naming module, key and YAML', async () => {
  const e = await failure({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'mysmb', 'iceflow', 'time', 'thk'] }),
    'user/conf/processes/mysmb.yaml': 'gradabl: {value: 0.009, type: number, units: "1", help: "x"}\naccmax: {value: 2.0, type: number, units: "1", help: "x"}\n',
    'user/code/processes/mysmb.ts': [
      'export function initialize() {}',
      'export function finalize() {}',
      'export function update(cfg: any) {',
      '  const p = cfg.processes.mysmb;',
      '  return p.gradabl * p.gradacc;', // line 5: gradacc is not in mysmb.yaml
      '}',
      '',
    ].join('\n'),
  });
  assert.equal(e.code, 'CONFIG');
  assert.match(e.message, /processes module 'mysmb' reads parameter processes\.mysmb\.gradacc, which .*user\/conf\/processes\/mysmb\.yaml does not define \(at .*user\/code\/processes\/mysmb\.ts:5:\d+\) — did you mean 'gradabl'/);
  assert.match(e.hint!, /declare 'gradacc' with a default in .*mysmb\.yaml/);
});

test('declared parameters, `in` tests and JSON of a group still work under the strict view', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ processes: ['smb_simple', 'probe', 'iceflow', 'time', 'thk'], time: 'start: 0, end: 2, save: 1' }),
    'user/conf/processes/probe.yaml': 'scale: {value: 2.0, type: number, units: "1", help: "x"}\n',
    'user/code/processes/probe.ts': [
      'export function initialize(cfg: any) {',
      '  const p = cfg.processes.probe;',
      '  if ("missing" in p || p.scale !== 2 || JSON.stringify(p) !== \'{"scale":2}\' || Object.keys(p).join() !== "scale") throw new Error("strict view broke " + JSON.stringify(p));',
      '}',
      'export function update() {}',
      'export function finalize() {}',
      '',
    ].join('\n'),
  });
  const r = await runExperiment({ experiment: root, outDir: join(root, 'o') });
  assert.ok(r.modules.includes('processes/probe (user)'));
});
