/**
 * Output paths: every bad --out is one [IO] error naming the path and the
 * errno (no stack trace, no endless mkdir under /proc); an earlier run folder
 * is refused unless overwrite, which empties only nunatak run folders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareOutDir, prepareOutFile } from '../../src/core/out-path.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nk-out-'));
const io = (re: RegExp) => (e: Error & { code?: string }) => e.code === 'IO' && re.test(e.message);

test('a folder under a regular file: ENOTDIR naming the path', () => {
  const d = tmp();
  writeFileSync(join(d, 'f'), 'x');
  assert.throws(() => prepareOutDir(join(d, 'f', 'run')), io(new RegExp(`${join(d, 'f', 'run')}: ENOTDIR`)));
});

test('an output folder that is an existing file: EEXIST; an output file that is a folder: EISDIR', () => {
  const d = tmp();
  writeFileSync(join(d, 'f'), 'x');
  assert.throws(() => prepareOutDir(join(d, 'f')), io(/EEXIST/));
  assert.throws(() => prepareOutFile(d), io(/EISDIR/));
});

test('inside /proc: a clear error at once (no mkdir loop)', () => {
  assert.throws(() => prepareOutDir('/proc/nunatak-out/run'), io(/procfs/));
  assert.throws(() => prepareOutDir('/proc/self/fd/x'), (e: Error & { code?: string }) => e.code === 'IO');
});

test('a folder holding files is refused; overwrite empties only a run folder', () => {
  const d = tmp();
  mkdirSync(join(d, 'run'));
  writeFileSync(join(d, 'run', 'config.yaml'), 'x');
  writeFileSync(join(d, 'run', 'thk-0.png'), 'x');
  const ours = (p: string) => existsSync(join(p, 'config.yaml'));
  assert.throws(() => prepareOutDir(join(d, 'run'), { existing: 'refuse', isOurs: ours }), io(/already holds 2 files/));
  prepareOutDir(join(d, 'run'), { existing: 'refuse', overwrite: true, isOurs: ours });
  assert.deepEqual(readdirSync(join(d, 'run')), []);
  writeFileSync(join(d, 'thesis.tex'), 'x');
  assert.throws(() => prepareOutDir(d, { existing: 'refuse', overwrite: true, isOurs: ours }), io(/not a nunatak run folder/));
  assert.ok(existsSync(join(d, 'thesis.tex')));
});

// read-only and full filesystems need a mount (root in a container that allows it)
const mnt = tmp();
const canMount = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', mnt]).status === 0;
test('a read-only filesystem: EROFS naming the path', { skip: !canMount && 'cannot mount a tmpfs here (needs root)' }, () => {
  try {
    assert.throws(() => prepareOutDir(join(mnt, 'run')), io(new RegExp(`${join(mnt, 'run')}: EROFS`)));
  } finally {
    spawnSync('umount', [mnt]);
  }
});
