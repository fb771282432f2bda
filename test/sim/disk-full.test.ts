/**
 * A write failure during output.nc appends stops the run at once with one
 * [IO] error (no HDF5-DIAG flood) and the file keeps its complete records.
 * Two real failures: a file-size limit (`ulimit -f`, EFBIG) in a child
 * process, and a full 300 KiB tmpfs (ENOSPC) when this machine lets us mount.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDataset } from '../../src/io/netcdf/index.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const BIN = resolve(import.meta.dirname, '../../bin/nunatak.js');
// 60×30 cells, a save every year for 40 a: ~7 KiB per field and record
const exp = () => makeExperiment({
  'experiment.yaml': valleyYaml({ outputs: ['write_ncdf'], time: 'start: 0, end: 40, save: 1', procs: '  smb_simple: {ela: 2900}\n' })
    .replace('nx: 30, ny: 15', 'nx: 60, ny: 30') + 'outputs:\n  write_ncdf: {deflate: 0}\n',
});

async function records(file: string): Promise<number[]> {
  const ds = await openDataset(file);
  try {
    return Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
  } finally {
    ds.close();
  }
}

function check(r: ReturnType<typeof spawnSync>, errno: RegExp): void {
  const err = String(r.stderr);
  assert.equal(r.status, 2, err);
  assert.match(err, /\[IO\] .*output\.nc: no room to write record \d+/);
  assert.match(err, errno);
  assert.doesNotMatch(err, /HDF5-DIAG|\n\s+at /, 'no HDF5 stack, no JS stack');
}

test('file-size limit (ulimit -f → EFBIG): the run stops, output.nc keeps its complete records', async () => {
  const root = exp();
  const out = join(root, 'o');
  const r = spawnSync('bash', ['-c', `ulimit -f 400; exec "${process.execPath}" "${BIN}" run "${root}" --out "${out}"`], { encoding: 'utf8' });
  check(r, /EFBIG/);
  const t = await records(join(out, 'output.nc'));
  assert.ok(t.length >= 2 && t.length < 41, `records ${t.join(',')}`);
  assert.deepEqual(t, t.map((_, k) => k), 'records 0, 1, 2, … complete');
});

const mnt = mkdtempSync(join(tmpdir(), 'nk-full-'));
const canMount = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', mnt]).status === 0;
test('full filesystem (tmpfs → ENOSPC): the run stops, output.nc keeps its complete records', { skip: !canMount && 'cannot mount a tmpfs here (needs root); the ulimit test covers the write failure' }, async () => {
  try {
    const root = exp();
    mkdirSync(join(mnt, 'o'));
    const r = spawnSync(process.execPath, [BIN, 'run', root, '--out', join(mnt, 'o')], { encoding: 'utf8' });
    check(r, /ENOSPC/);
    const t = await records(join(mnt, 'o', 'output.nc'));
    assert.ok(t.length >= 2, `records ${t.join(',')}`);
    assert.deepEqual(t, t.map((_, k) => k));
  } finally {
    spawnSync('umount', [mnt]);
  }
});
