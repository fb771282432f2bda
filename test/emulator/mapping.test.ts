// Maptype presets, DLE scaling values and the exact fieldin.dat / fieldout.dat format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFieldDat, parseFieldDat, readFieldDat, resolveMapping, writeFieldDat } from '../../src/emulator/mapping.js';
import { isNunatakError } from '../../src/core/errors.js';

test('presets f2 and f15 with DLE naturalbounds', () => {
  const f2 = resolveMapping('f2');
  assert.deepEqual(f2.inputs, [{ name: 'thk', bound: 2000 }, { name: 'slopsurfx', bound: 1.5 }, { name: 'slopsurfy', bound: 1.5 }]);
  assert.deepEqual(f2.outputs.map((c) => c.name), ['ubar', 'vbar']);
  const f15 = resolveMapping('f15');
  assert.deepEqual(f15.inputs.map((c) => `${c.name}:${c.bound}`), ['thk:2000', 'slopsurfx:1.5', 'slopsurfy:1.5', 'arrhenius:100', 'slidingco:100']);
  assert.deepEqual(f15.outputs.map((c) => c.name), ['uvelbase', 'vvelbase', 'ubar', 'vbar', 'uvelsurf', 'vvelsurf']);
  assert.deepEqual(resolveMapping('f10').inputs.map((c) => c.name).at(-1), 'strflowctrl');
  assert.equal(resolveMapping('f14').outputs.length, 6);
  assert.ok(f15.ice);
  assert.throws(() => resolveMapping('f3'), (e) => isNunatakError(e, 'CONFIG') && /did you mean/.test(e.message));
});

test('fieldin.dat: exact DLE bytes, round trip and channel order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-emu-map-'));
  try {
    const chans = resolveMapping('f15').inputs;
    // The IGM f15_cfsflow_GJ_22_a fieldin.dat, byte for byte.
    const igm = 'thk 2000.000000 \nslopsurfx 1.500000 \nslopsurfy 1.500000 \narrhenius 100.000000 \nslidingco 100.000000 \n';
    assert.equal(formatFieldDat(chans), igm);
    const m = join(dir, 'mymap');
    mkdirSync(m, { recursive: true });
    writeFieldDat(join(m, 'fieldin.dat'), [{ name: 'usurf', bound: 3000 }, { name: 'thk', bound: 2000 }]);
    writeFileSync(join(m, 'fieldout.dat'), 'vbar 500\nubar 250.5\n');
    assert.equal(readFileSync(join(m, 'fieldin.dat'), 'utf8'), 'usurf 3000.000000 \nthk 2000.000000 \n');
    const mp = resolveMapping(m);
    assert.deepEqual(mp.inputs, [{ name: 'usurf', bound: 3000 }, { name: 'thk', bound: 2000 }]);
    assert.deepEqual(mp.outputs, [{ name: 'vbar', bound: 500 }, { name: 'ubar', bound: 250.5 }]);
    assert.deepEqual(readFieldDat(join(m, 'fieldin.dat')), parseFieldDat(formatFieldDat(mp.inputs)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed channel files name the file and line', () => {
  assert.throws(() => parseFieldDat('thk 2000\nubar abc\n', 'fieldout.dat'), (e) => isNunatakError(e, 'IO') && /fieldout\.dat:2/.test(e.message));
  assert.throws(() => parseFieldDat('\n\n', 'fieldin.dat'), (e) => isNunatakError(e, 'IO'));
  assert.throws(() => readFieldDat('/nonexistent/fieldin.dat'), (e) => isNunatakError(e, 'NOT_FOUND'));
});
