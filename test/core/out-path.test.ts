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

const BIN = join(import.meta.dirname, '../../bin/nunatak.js');
test('faces use it: inspect --file and udf -o under a regular file give [IO] ENOTDIR', () => {
  const d = tmp();
  writeFileSync(join(d, 'f'), 'x');
  const npy = join(d, 'a.npy');
  // a tiny valid .npy (float32, shape (2, 3, 4))
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }";
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(header + ' '.repeat(pad) + '\n');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  writeFileSync(npy, Buffer.concat([pre, h, Buffer.alloc(2 * 3 * 4 * 4)]));
  const runs = [
    ['udf', 'run', 'sum', '-d', npy, '-o', join(d, 'f', 'out')],
    ['inspect', join(import.meta.dirname, '../../data/hintereisferner/hef_srtm.tif'), '--plot', '--file', join(d, 'f', 'x.png')],
  ];
  for (const args of runs) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /\[IO\] .*ENOTDIR/, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
