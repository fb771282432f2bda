import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModuleDefaults, type ParamSpec } from '../../../src/core/config/index.js';
import { NunatakError } from '../../../src/core/errors.js';

const fixture = 'test/fixtures/config/modules/iceflow.yaml';

test('a defaults file gives the defaults object and a typed schema with units and help', () => {
  const d = loadModuleDefaults(fixture);
  assert.deepEqual(d.defaults, {
    Nz: 10,
    exp_glen: 3,
    init_arrhenius: 78,
    init_slidingco: 0.0464,
    method: 'emulated',
    fieldin: ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX'],
    emulator: { retrain_freq: 10, lr: 2e-5, pretrained: true },
  });
  const a = d.schema.children.get('init_arrhenius') as ParamSpec;
  assert.equal(a.type, 'number');
  assert.equal(a.units, 'MPa-3 a-1');
  assert.equal(a.help, 'Arrhenius factor');
  assert.equal(a.line, 4); // line 1 is a comment
  const m = d.schema.children.get('method') as ParamSpec;
  assert.deepEqual(m.choices, ['emulated', 'solved', 'diagnostic']);
  const g = d.schema.children.get('emulator');
  assert.equal(g?.kind, 'group');
});

function badFile(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'nk-cfg-')), 'bad.yaml');
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

test('malformed defaults files fail with file:line, key and what is missing', () => {
  let f = badFile('a: {value: 1, type: number, units: "m"}\n');
  expectConfigError(() => loadModuleDefaults(f), new RegExp(`${f}:1: a: missing help`));
  f = badFile('g:\n  b: {value: 1, type: float, units: "m", help: "x"}\n');
  expectConfigError(() => loadModuleDefaults(f), new RegExp(`${f}:2: g.b: unknown type 'float'`), /types are number, integer/);
  f = badFile('a: {value: 1, type: number, help: "x"}\n');
  expectConfigError(() => loadModuleDefaults(f), /a: missing units/);
  f = badFile('a: {value: x, type: enum, units: "", help: "x"}\n');
  expectConfigError(() => loadModuleDefaults(f), /enum without choices/);
  f = badFile('a: {value: [1], type: list, units: "", help: "x"}\n');
  expectConfigError(() => loadModuleDefaults(f), /list needs items/);
  f = badFile('\n\na: {value: "78", type: number, units: "", help: "x"}\n');
  expectConfigError(() => loadModuleDefaults(f), new RegExp(`${f}:3: a = '78' is not a valid number`));
  f = badFile('a: 3\n');
  expectConfigError(() => loadModuleDefaults(f), /a has no spec/, /write a: \{value: 3/);
  f = badFile('a: {value: 3, type: number, units: "", help: "x", unit: "m"}\n');
  expectConfigError(() => loadModuleDefaults(f), /unknown spec field 'unit'/);
  f = badFile('a: {value: 3\n');
  expectConfigError(() => loadModuleDefaults(f), new RegExp(`${f}:\\d+: invalid YAML`));
  expectConfigError(() => loadModuleDefaults('/nonexistent/x.yaml'), /cannot read config file \/nonexistent\/x.yaml/);
});
