// Data preparation: slopes vs NumPy np.gradient (1e-5 relative), stepping,
// block-mean coarsening, and the errors for missing fields and NaNs; patch sampler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { addSlopes, checkCase, coarsen, prepareCase, stepFrames, type CaseData } from '../../src/emulator/case-data.js';
import { gradient2d } from '../../src/emulator/slopes.js';
import { patchesPerEpoch, resolvePatchSize, samplePatches } from '../../src/emulator/patches.js';
import { Rng } from '../../src/emulator/rng.js';
import { isNunatakError } from '../../src/core/errors.js';

const rand = (n: number, seed: number, scale = 1) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => r.next() * scale);
};
const mk = (nt: number, ny: number, nx: number, fields: Record<string, Float32Array>): CaseData => ({
  name: 'c', source: 'train/c/ex.nc', nt, ny, nx, dx: 50, dy: -25, fields: new Map(Object.entries(fields)),
});

test('slopes equal numpy.gradient (central inside, one-sided edges)', () => {
  const ny = 7;
  const nx = 9;
  const u = rand(ny * nx, 3, 1000);
  const py = `import numpy as np,sys,json\nu=np.array(json.loads(sys.stdin.read()),dtype=np.float64).reshape(${ny},${nx})\n` +
    `print(json.dumps([np.gradient(u,50.0,axis=1).ravel().tolist(),np.gradient(u,-25.0,axis=0).ravel().tolist()]))`;
  const [gxRef, gyRef] = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(Array.from(u)) }).toString());
  const { gx, gy } = gradient2d(u, ny, nx, 50, -25);
  for (let k = 0; k < ny * nx; k++) {
    assert.ok(Math.abs(gx[k] - gxRef[k]) <= 1e-5 * Math.max(1, Math.abs(gxRef[k])), `gx[${k}] ${gx[k]} vs ${gxRef[k]}`);
    assert.ok(Math.abs(gy[k] - gyRef[k]) <= 1e-5 * Math.max(1, Math.abs(gyRef[k])), `gy[${k}] ${gy[k]} vs ${gyRef[k]}`);
  }
  const c = mk(2, ny, nx, { usurf: new Float32Array([...u, ...u]) });
  addSlopes(c);
  assert.deepEqual(Array.from(c.fields.get('slopsurfx')!.subarray(ny * nx)), Array.from(gx));
});

test('data_stepping keeps every r-th frame; coarsening is a NaN-ignoring block mean', () => {
  const c = mk(5, 4, 4, { a: Float32Array.from({ length: 80 }, (_, i) => i) });
  stepFrames(c, 2);
  assert.equal(c.nt, 3);
  assert.equal(c.fields.get('a')![16], 32); // frame 2 of the original
  const d = mk(1, 4, 5, { a: Float32Array.from({ length: 20 }, (_, i) => i) });
  d.fields.get('a')![0] = NaN;
  coarsen(d, 2);
  assert.deepEqual([d.ny, d.nx, d.dx, d.dy], [2, 2, 100, -50]);
  assert.deepEqual(Array.from(d.fields.get('a')!), [(1 + 5 + 6) / 3, (2 + 3 + 7 + 8) / 4, (10 + 11 + 15 + 16) / 4, (12 + 13 + 17 + 18) / 4]);
  assert.throws(() => coarsen(mk(1, 4, 4, {}), 0.5), (e) => isNunatakError(e, 'CONFIG'));
});

test('missing fields and NaNs are clear errors naming the case, field and cell', () => {
  const c = mk(1, 3, 3, { thk: new Float32Array(9) });
  assert.throws(() => checkCase(c, ['thk', 'ubar']), (e) => isNunatakError(e, 'NOT_FOUND') && /train\/c\/ex\.nc.*'ubar' is missing/.test(e.message));
  assert.throws(() => prepareCase(mk(1, 3, 3, { thk: new Float32Array(9) }), ['slopsurfx'], { dataStepping: 1, resample: 1 }), (e) => isNunatakError(e, 'NOT_FOUND') && /usurf/.test(e.message));
  c.fields.get('thk')![5] = NaN;
  assert.throws(() => checkCase(c, ['thk']), (e) => isNunatakError(e, 'NUMERIC') && /'thk'.*frame 0, row 1, col 2/.test(e.message));
});

test('patch sampler: seeded, 5× DLE count, every centre above thr_ice', () => {
  const ny = 40;
  const nx = 50;
  const thk = new Float32Array(2 * ny * nx);
  for (let t = 0; t < 2; t++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) thk[t * ny * nx + j * nx + i] = i > 25 ? 100 : 0;
  const c = mk(2, ny, nx, { thk });
  assert.equal(patchesPerEpoch([c], 16), 2 * 3 * 4);
  const a = samplePatches([c], 16, 123, 1);
  const b = samplePatches([c], 16, 123, 1);
  assert.equal(a.length, 5 * 24);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, samplePatches([c], 16, 124, 1));
  for (const r of a) assert.ok(thk[r.t * ny * nx + (r.j + 8) * nx + r.i + 8] > 1 && r.j + 16 <= ny && r.i + 16 <= nx);
  assert.throws(() => samplePatches([mk(1, ny, nx, { thk: new Float32Array(ny * nx) })], 16, 1, 1), (e) => isNunatakError(e, 'INPUT') && /thr_ice/.test(e.message));
  assert.equal(resolvePatchSize(-1, [c]), 32);
  assert.throws(() => resolvePatchSize(64, [c]), (e) => isNunatakError(e, 'SHAPE'));
});
