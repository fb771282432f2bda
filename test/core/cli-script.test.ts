// `nunatak script <file> [args...]` in a checkout: the script sees argv as under
// `node <file> args...` (so isMain holds), imports nunatak/... with no
// package.json, and a missing or wrong file is one clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nunatak-script-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'script', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

test('a .ts script gets its arguments, isMain is true, and nunatak/... is the running copy', () => {
  writeFileSync(join(dir, 'args.ts'), [
    "import { isMain } from 'nunatak/udf';",
    "import { didYouMean } from 'nunatak/core';",
    'const n: number = process.argv.length;',
    "console.log(JSON.stringify({ argv: process.argv.slice(1), main: isMain(import.meta.url), n, hint: didYouMean('iceflwo', ['iceflow']) }));",
  ].join('\n'));
  const r = run(['args.ts', 'threads', '3']);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { argv: string[]; main: boolean; n: number; hint: string };
  assert.deepEqual(got.argv, [join(dir, 'args.ts'), 'threads', '3']);
  assert.equal(got.main, true);
  assert.equal(got.n, 4);
  assert.match(got.hint, /iceflow/);
});

test('a missing script and a file of another kind are one clear error (exit 2)', () => {
  const a = run(['nope.mts']);
  assert.equal(a.status, 2);
  assert.match(a.stderr, /\[NOT_FOUND\] script .*nope\.mts does not exist/);
  writeFileSync(join(dir, 'data.csv'), 'a,b\n');
  const b = run(['data.csv']);
  assert.equal(b.status, 2);
  assert.match(b.stderr, /\[CONFIG\] script .*data\.csv is not a \.ts, \.mts, \.js or \.mjs file/);
});
