// The user-code loader: a user's file in a folder outside nunatak, with no
// package.json, in each of the four extensions, importing `nunatak/...` and
// its own helpers; each kind of failure names the file, line and real cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NunatakError } from '../../../src/core/errors.js';
import { importUserFile, resolveEntrypoint } from '../../../src/core/plugins/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nunatak-user-code-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(dir, name);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, text);
  return f;
}

async function failure(file: string): Promise<NunatakError> {
  try {
    await importUserFile(file);
  } catch (e) {
    assert.ok(e instanceof NunatakError, `expected a NunatakError, got ${String(e)}`);
    assert.equal(e.code, 'PLUGIN');
    assert.doesNotMatch(e.message, /require\(\)|ERR_|Cannot find package|in a cycle/, 'no module-system message');
    return e;
  }
  assert.fail(`${file} loaded`);
}

test('a .ts file outside the repository imports nunatak/core and its own .ts helper, sharing nunatak’s classes', async () => {
  write('lib/helper.ts', 'export const twice = (x: number): number => 2 * x;\n');
  const f = write('mod.ts', [
    "import { NunatakError } from 'nunatak/core';",
    "import { twice } from './lib/helper.js';",
    'export const Err = NunatakError;',
    'export const four: number = twice(2);',
    'export const here: string = import.meta.url;',
  ].join('\n'));
  const ns = await importUserFile(f);
  assert.equal(ns.Err, NunatakError, 'the user module gets the running nunatak’s NunatakError');
  assert.equal(ns.four, 4);
  assert.equal(ns.here, pathToFileURL(f).href, 'import.meta.url names the user’s file');
  assert.equal(await importUserFile(f), ns, 'loaded once while unchanged');
});

test('.mts, .js and .mjs load as ES modules, deep nunatak paths too', async () => {
  for (const ext of ['mts', 'js', 'mjs']) {
    const f = write(`m.${ext}`, "import { didYouMean } from 'nunatak/core/errors.ts';\nexport default function hint(n) { return didYouMean(n, ['iceflow']); }\n".replace('(n)', ext === 'mts' ? '(n: string)' : '(n)'));
    const r = await resolveEntrypoint<(n: string) => string>(f, { expect: { type: 'function' } });
    assert.match(r.value('iceflwo'), /iceflow/, ext);
  }
});

test('a syntax error names the file and line', async () => {
  const f = write('bad.ts', 'export const a = 1;\nexport const b = ;\n');
  const e = await failure(f);
  assert.match(e.message, new RegExp(`bad\\.ts:2:\\d+`));
  assert.match(e.hint ?? '', /nunatak check/);
});

test('an import that does not exist, a missing export and an unknown package are named with their line', async () => {
  const e1 = await failure(write('noimp.ts', "\nimport { x } from './nope.js';\nexport const y = x;\n"));
  assert.match(e1.message, /noimp\.ts:2:\d+: Could not resolve "\.\/nope\.js"/);
  write('has.ts', 'export const a = 1;\n');
  const e2 = await failure(write('noexp.ts', "import { b } from './has.js';\nexport const y = b;\n"));
  assert.match(e2.message, /noexp\.ts:1:\d+: No matching export in ".*has\.ts" for import "b"/);
  const e3 = await failure(write('nopkg.ts', "import z from 'no-such-package-zz';\nexport const y = z;\n"));
  assert.match(e3.message, /nopkg\.ts:1:\d+: cannot find package 'no-such-package-zz'/);
  const e4 = await failure(write('nonunatak.ts', "import { q } from 'nunatak/no/such';\nexport const y = q;\n"));
  assert.match(e4.message, /nonunatak\.ts:1:\d+: 'nunatak\/no\/such' is not a module of nunatak/);
});

test('a name nunatak does not export, and a throw at load time, name the user’s file', async () => {
  const f = write('wrongname.ts', "import { NoSuchThing } from 'nunatak/core';\nexport const y = NoSuchThing;\n");
  const e = await failure(f);
  assert.match(e.message, /wrongname\.ts failed to load: it imports 'NoSuchThing' from 'nunatak\/core', which does not export it/);
  const g = write('throws.ts', "throw new Error('calibration file missing');\n");
  const e2 = await failure(g);
  assert.match(e2.message, /throws\.ts failed to load: its top-level code threw: calibration file missing/);
});
