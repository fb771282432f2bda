/** Unusable inversion input fails early with a NunatakError naming the variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invertThickness } from '../../../src/sim/invert/invert.js';
import type { InversionData } from '../../../src/sim/invert/objective.js';

const nx = 6;
const ny = 5;
const n = nx * ny;
const base = (): InversionData => ({
  grid: { nx, ny, dx: 100, dy: 100 },
  usurfobs: Float32Array.from({ length: n }, (_, k) => 3000 - 10 * (k % nx)),
  icemask: Float32Array.from({ length: n }, (_, k) => (k % nx > 0 && k % nx < nx - 1 ? 1 : 0)),
});

const fails = (d: InversionData, code: string, ...words: string[]) =>
  assert.throws(() => invertThickness(d, { nbitmax: 2 }), (e: unknown) => {
    const err = e as { name: string; code: string; message: string };
    assert.equal(err.name, 'NunatakError');
    assert.equal(err.code, code);
    for (const w of words) assert.ok(err.message.includes(w), `'${w}' not in: ${err.message}`);
    return true;
  });

test('empty icemask', () => fails({ ...base(), icemask: new Float32Array(n) }, 'INPUT', 'icemask', 'empty'));

test('all-NaN observations name the variable', () => {
  const nan = new Float32Array(n).fill(NaN);
  fails({ ...base(), thkobs: nan }, 'INPUT', 'thkobs', 'NaN everywhere');
  fails({ ...base(), uvelsurfobs: nan, vvelsurfobs: nan }, 'INPUT', 'uvelsurfobs', 'NaN everywhere');
  fails({ ...base(), smb: nan }, 'INPUT', 'smb', 'NaN everywhere');
});

test('surface elevation missing inside the mask', () => {
  const d = base();
  (d.usurfobs as Float32Array)[nx + 2] = NaN;
  fails(d, 'INPUT', 'usurfobs', '(1, 2)');
});

test('an observation on another grid', () => {
  fails({ ...base(), thkobs: new Float32Array(n + nx) }, 'SHAPE', 'thkobs', `${ny}×${nx}`);
  fails({ ...base(), icemask: new Float32Array(n - 1).fill(1) }, 'SHAPE', 'icemask');
});

test('one velocity component only, and bad options', () => {
  fails({ ...base(), uvelsurfobs: new Float32Array(n) }, 'INPUT', 'vvelsurfobs');
  assert.throws(() => invertThickness(base(), { velsurfobs_std: 0 }), /velsurfobs_std = 0 must be > 0/);
  assert.throws(() => invertThickness(base(), { control: ['thk', 'slidingco'] }), /slidingco is a control but its start value is 0/);
});
