/**
 * `models run` outputs: a bad output.path (under a regular file, an existing
 * file, a read-only folder) is one [IO] line naming the path (and errno), no
 * stack trace; a run that fails before saving anything leaves no stub file,
 * so the retry needs no --overwrite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers.js';

const BIN = resolve('bin/nunatak.js');
const DATA = resolve('data/models/A1B_north_america.nc');
const PERSISTENCE = resolve('examples/models/persistence');

function config(dir: string, model: string, out: string): string {
  const f = join(dir, `run-${readdirSync(dir).length}.yaml`);
  writeFileSync(f, `model: ${model}\ndata:\n  file: ${DATA}\n  lexicon: {t2m: air_temperature}\nstart_times: {start: "2041-06-01", end: "2042-06-01", every: P1Y}\nsteps: 2\noutput:\n  path: ${out}\n`);
  return f;
}

function run(cfg: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'models', 'run', cfg], { encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '1' } });
  return { status: r.status, stderr: r.stderr };
}

function clearIo(r: { status: number | null; stderr: string }, re: RegExp, what: string): void {
  assert.equal(r.status, 2, `${what}: ${r.stderr}`);
  assert.match(r.stderr, re, what);
  assert.doesNotMatch(r.stderr, /\n\s+at |TypeError|make_scale/, `${what}: no stack trace`);
}

test('models run: output under a regular file, on an existing file, in a read-only folder → [IO] naming the path', () => {
  const d = tempDir();
  writeFileSync(join(d, 'plain'), 'x');
  clearIo(run(config(d, PERSISTENCE, join(d, 'plain', 'out.nc'))), new RegExp(`\\[IO\\] .*${join(d, 'plain', 'out.nc')}.*ENOTDIR`), 'under a file');
  writeFileSync(join(d, 'old.nc'), 'x');
  clearIo(run(config(d, PERSISTENCE, join(d, 'old.nc'))), /\[IO\] .*old\.nc: file exists/, 'existing file');
  clearIo(run(config(d, PERSISTENCE, d)), /\[IO\] .*EISDIR/, 'a folder');
  if (process.getuid?.() !== 0) {
    // root writes through a chmod'ed folder; the EROFS case is in test/core/out-path.test.ts
    mkdirSync(join(d, 'ro'));
    chmodSync(join(d, 'ro'), 0o555);
    clearIo(run(config(d, PERSISTENCE, join(d, 'ro', 'out.nc'))), /\[IO\] .*ro\/out\.nc.*EACCES/, 'read-only folder');
  }
});

test('a models run that fails before saving anything leaves no stub file; the retry needs no --overwrite', () => {
  const d = tempDir();
  const pkg = join(d, 'broken');
  cpSync(PERSISTENCE, pkg, { recursive: true });
  writeFileSync(join(pkg, 'persistence.ts'), 'export function load() { return { step() { throw new Error("weights missing"); } }; }\n');
  const out = join(d, 'out', 'f.nc');
  const cfg = config(d, pkg, out);
  const first = run(cfg);
  assert.notEqual(first.status, 0);
  assert.match(first.stderr, /weights missing/);
  assert.ok(!existsSync(out), 'no stub output file');
  assert.ok(!existsSync(`${out}.progress.json`), 'no stub progress file');
  const again = run(cfg);
  assert.doesNotMatch(again.stderr, /file exists|--overwrite/, 'the retry is not refused');
  assert.match(again.stderr, /weights missing/);
  // the working package then writes the file without --overwrite
  const ok = run(config(d, PERSISTENCE, out));
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(existsSync(out));
});
