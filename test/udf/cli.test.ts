// `nunatak udf run` end to end: a raw file, a built-in (masks) and a user UDF
// by entrypoint, results as .npy checked against references computed here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../../src/udf/npy.js';
import { diskMask } from '../../src/udf/builtins/masks.js';
import { assertClose, frame, makeData, NAV, SIG, SIG_SIZE } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nk-udf-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = makeData(9);
const raw = join(dir, 'scan.raw');
writeFileSync(raw, Buffer.from(data.buffer));
const common = ['-d', raw, '--nav-shape', NAV.join(','), '--sig-shape', SIG.join(','), '--dtype', 'float32', '--no-progress'];
const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'udf', 'run', ...args], { encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '1' } });

test('udf run masks (two disks) on threads writes .npy results and PNGs', () => {
  const out = join(dir, 'masks');
  const r = run(['masks', ...common, '--disk', '4,6,3', '--disk', '2,2,2', '-w', '2', '-o', out, '--png']);
  assert.equal(r.status, 0, r.stderr);
  const got = readNpy(join(out, 'masks_intensity.npy'));
  assert.deepEqual(got.shape, [...NAV, 2]);
  const m = [diskMask(SIG, 4, 6, 3), diskMask(SIG, 2, 2, 2)];
  const ref = new Float64Array(63 * 2);
  for (let i = 0; i < 63; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < SIG_SIZE; k++) ref[i * 2 + j] += frame(data, i)[k] * m[j][k];
  assertClose(got.data, ref, 1e-12, 1e-9, 'masks');
});

test('udf run with a user UDF entrypoint, inline, and a ROI file', () => {
  const out = join(dir, 'user');
  const roi = join(dir, 'roi.npy');
  // A 9×7 bool .npy by hand: header padded to 128 bytes.
  let header = "{'descr': '|b1', 'fortran_order': False, 'shape': (9, 7), }";
  header += ' '.repeat(128 - 10 - header.length - 1) + '\n';
  const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length, 0]);
  const mask = Uint8Array.from({ length: 63 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  writeFileSync(roi, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(mask)]));
  const fix = fileURLToPath(new URL('./fixtures/udfs.ts', import.meta.url));
  const r = run([`${fix}#FrameSumSig`, ...common, '-e', 'inline', '--roi', roi, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const got = readNpy(join(out, 'FrameSumSig_s.npy'));
  const ref = Array.from({ length: 63 }, (_, i) => (mask[i] ? frame(data, i).reduce((a, b) => a + b, 0) : NaN));
  assertClose(got.data, ref, 1e-12, 1e-9, 'user udf');
  assert.ok(!existsSync(join(out, 'FrameSumSig_s.png')));
});

test('udf run errors: unknown UDF, missing raw shape', () => {
  const a = run(['stdev', ...common]);
  assert.equal(a.status, 2);
  assert.match(a.stderr, /unknown UDF 'stdev' — did you mean 'stddev'/);
  const b = run(['sum', '-d', raw, '--no-progress']);
  assert.equal(b.status, 2);
  assert.match(b.stderr, /needs --nav-shape, --sig-shape and --dtype/);
});
