import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuiltinRegistry, resolveEntrypoint } from '../../../src/core/plugins/index.js';
import { NunatakError } from '../../../src/core/errors.js';

const baseDir = resolve('test/fixtures/plugins');
const modsFile = join(baseDir, 'mods.ts');

async function expectPluginError(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof NunatakError, String(e));
    assert.equal(e.code, 'PLUGIN');
    for (const re of patterns) assert.match(e.describe(), re);
    return true;
  });
}

test('relative ./file.ts#export from the base dir, with and without extension', async () => {
  const r = await resolveEntrypoint<(x: number) => number>('./mods.ts#step', { baseDir, expect: { type: 'function' } });
  assert.equal(r.value(1), 2);
  assert.equal(r.file, modsFile);
  assert.equal(r.exportName, 'step');
  const noExt = await resolveEntrypoint<(x: number) => number>('./mods#step', { baseDir });
  assert.equal(noExt.value(41), 42);
  const def = await resolveEntrypoint<() => string>('./mods.ts', { baseDir, expect: { type: 'function' } });
  assert.equal(def.value(), 'default');
  assert.equal(def.exportName, 'default');
});

test('absolute paths and file:// URLs', async () => {
  const a = await resolveEntrypoint<{ prototype: { initialize(): string } }>(`${modsFile}#Model`, { expect: { type: 'class', methods: ['initialize', 'update'] } });
  assert.equal(a.exportName, 'Model');
  const u = await resolveEntrypoint<typeof a.value>(`${pathToFileURL(modsFile).href}#proc`, { expect: { type: 'object', methods: ['initialize', 'update', 'finalize'] } });
  assert.equal((u.value as unknown as { finalize(): string }).finalize(), 'f');
});

test('a module without default export resolves to its namespace when an object is expected (IGM style)', async () => {
  const r = await resolveEntrypoint<{ update(): string }>('./process-module.ts', { baseDir, expect: { type: 'object', methods: ['initialize', 'update', 'finalize'] } });
  assert.equal(r.exportName, '*');
  assert.equal(r.value.update(), 'update');
});

test('package/subpath#export with node resolution from the base dir (require- and import-only packages)', async () => {
  const y = await resolveEntrypoint<(s: string) => unknown>('yaml#parse', { baseDir: process.cwd(), expect: { type: 'function' } });
  assert.deepEqual(y.value('a: 1'), { a: 1 });
  const root = mkdtempSync(join(tmpdir(), 'nk-pkg-'));
  const pkg = join(root, 'node_modules', '@lab', 'toolkit');
  mkdirSync(join(pkg, 'lib'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@lab/toolkit', type: 'module', exports: { './smb': { import: './lib/smb.js' } } }));
  writeFileSync(join(pkg, 'lib', 'smb.js'), 'export function melt(t) { return Math.max(t, 0) * 3; }\n');
  const sub = join(root, 'experiments', 'a');
  mkdirSync(sub, { recursive: true });
  const r = await resolveEntrypoint<(t: number) => number>('@lab/toolkit/smb#melt', { baseDir: sub, expect: { type: 'function' } });
  assert.equal(r.value(2), 6);
  assert.equal(r.file, join(pkg, 'lib', 'smb.js'));
  await expectPluginError(resolveEntrypoint('@lab/toolkit/nothing#x', { baseDir: sub }), /@lab\/toolkit\/nothing#x: file not found: package '@lab\/toolkit\/nothing'/);
});

test('built-in names load lazily from the registry', async () => {
  let loads = 0;
  const reg = new BuiltinRegistry('processes')
    .add('iceflow', async () => {
      loads++;
      return { initialize: () => 1, update: () => 2, finalize: () => 3 };
    })
    .add('time', async () => import('../../fixtures/plugins/process-module.js'));
  assert.equal(loads, 0); // registering loads nothing
  const r = await resolveEntrypoint<{ update(): number }>('iceflow', { builtins: reg, expect: { type: 'object', methods: ['initialize', 'update', 'finalize'] } });
  assert.equal(loads, 1);
  assert.equal(r.value.update(), 2);
  assert.equal(r.file, 'builtin:iceflow');
  const t = await resolveEntrypoint<() => string>('time#finalize', { builtins: reg, expect: { type: 'function' } });
  assert.equal(t.value(), 'finalize');
  await expectPluginError(resolveEntrypoint('icefow', { builtins: reg }), /icefow: no built-in named 'icefow' — did you mean 'iceflow'\?/, /built-in processes names: iceflow, time/);
  const broken = new BuiltinRegistry().add('onnx', async () => {
    throw new Error('Cannot find module onnxruntime-node');
  });
  await expectPluginError(resolveEntrypoint('onnx', { builtins: broken }), /onnx: built-in 'onnx' failed to load: Cannot find module onnxruntime-node/, /nunatak doctor/);
});

test('errors name the entrypoint, the file and what is missing', async () => {
  await expectPluginError(resolveEntrypoint('./missing.ts#f', { baseDir }), new RegExp(`\\./missing.ts#f: file not found: ${join(baseDir, 'missing.ts')}`));
  await expectPluginError(resolveEntrypoint('./mods.ts#stepp', { baseDir }), new RegExp(`\\./mods.ts#stepp: export 'stepp' not found in ${modsFile} — did you mean 'step'\\?`), /exports are: .*Model/);
  await expectPluginError(
    resolveEntrypoint('./mods.ts#notAFunction', { baseDir, expect: { type: 'function' } }),
    new RegExp(`\\./mods.ts#notAFunction \\(${modsFile}\\): expected a function, got a number`),
  );
  await expectPluginError(resolveEntrypoint('./mods.ts#Model', { baseDir, expect: { type: 'class', methods: ['initialize', 'finalize'] } }), /expected a class with methods initialize, finalize, got a class without method finalize/);
  await expectPluginError(resolveEntrypoint('./mods.ts#step', { baseDir, expect: { type: 'class' } }), /expected a class, got a function/);
  await expectPluginError(resolveEntrypoint('./mods.ts#proc', { baseDir, expect: { type: 'object', methods: ['initialize', 'run'] } }), /expected an object with methods initialize, run, got an object without method run/);
  await expectPluginError(resolveEntrypoint('./process-module.ts', { baseDir, expect: { type: 'function' } }), /has no default export/, /\.\/process-module\.ts#initialize/);
  await expectPluginError(resolveEntrypoint('', { baseDir }), /empty entrypoint/);
  const dir = mkdtempSync(join(tmpdir(), 'nk-bad-'));
  writeFileSync(join(dir, 'broken.ts'), 'export const x = ;\n');
  await expectPluginError(resolveEntrypoint('./broken.ts#x', { baseDir: dir }), new RegExp(`\\./broken.ts#x: ${join(dir, 'broken.ts')} failed to load`), /fix the error in that file/);
});
