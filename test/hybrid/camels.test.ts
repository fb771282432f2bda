// CAMELS-US loader (data/camels_us, copied from the shared data with PROVENANCE.md),
// unit conversion, Hargreaves PET vs FAO-56, and bad-input errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCamels } from '../../src/hybrid/data/camels.js';
import { extraterrestrialRadiation, hargreavesPet, dayOfYear } from '../../src/hybrid/data/hargreaves.js';
import { computeStats, normalise } from '../../src/hybrid/data/normalize.js';
import { isNunatakError } from '../../src/core/errors.js';

const DIR = 'data/camels_us';

test('loads the 4 basins: flow ft³/s → mm/d with the header area, PET, attributes', () => {
  const d = loadCamels(DIR, ['01022500', '03015500'], '2000-01-01', '2002-12-31', ['p_mean', 'area_gages2']);
  assert.equal(d.dates.length, 1096);
  const b = d.basins[0];
  // 255 ft³/s on 2000-01-01 over 587 675 987 m²
  assert.ok(Math.abs(b.qobs[0] - (255 * 0.0283168 * 86400 * 1000) / 587675987) < 1e-5);
  assert.ok(d.basins.every((x) => x.qobs.every((v) => v >= 0)));
  // 01022500's forcing runs to 2003 but its flow stops in 2002 → NaN targets
  const e = loadCamels(DIR, ['01022500'], '2002-12-30', '2003-01-02', []);
  assert.deepEqual(Array.from(e.basins[0].qobs, (v) => Number.isNaN(v)), [false, false, true, true]);
  assert.equal(b.prcp[0], 0);
  assert.ok(Math.abs(b.tmean[0] - (-2.36 + -14.36) / 2) < 1e-5);
  assert.ok(b.pet.every((v) => v >= 0) && b.pet[180] > b.pet[0]);
  assert.ok(Math.abs(d.attributes.area_gages2[0] - 573.6) < 1);
});

test('Hargreaves: Ra matches FAO-56 example 8 (20°S, 3 Sep: 32.2 MJ m⁻² d⁻¹) and PET the formula', () => {
  assert.equal(dayOfYear('2001-09-03'), 246);
  assert.ok(Math.abs(extraterrestrialRadiation(-20, 246) - 32.2) < 0.05);
  const ra = 0.408 * extraterrestrialRadiation(45, 180);
  assert.ok(Math.abs(hargreavesPet(10, 26, 45, 180) - 0.0023 * ra * (18 + 17.8) * 4) < 1e-9);
  assert.equal(hargreavesPet(-30, -29, 70, 1), 0);
});

test('normalisation stats: [p10, p90, mean, std] with log10(√x+0.1) and NaN ignored', () => {
  const s = computeStats([0, 1, 4, 9, NaN], true);
  const v = [Math.log10(0.1), Math.log10(1.1), Math.log10(2.1), Math.log10(3.1)];
  const m = v.reduce((a, b) => a + b) / 4;
  assert.ok(Math.abs(s[2] - m) < 1e-12);
  assert.equal(normalise(NaN, s), 0);
});

function brokenCopy(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'nk-camels-'));
  cpSync(DIR, dir, { recursive: true });
  edit(dir);
  return dir;
}
const forcingFile = (dir: string) => join(dir, 'basin_mean_forcing/daymet/01022500_lump_cida_forcing_leap.txt');

test('bad input: unknown basin, missing column, missing date, negative precipitation, bad attribute', () => {
  assert.throws(() => loadCamels(DIR, ['01022501'], '2000-01-01', '2000-12-31', []), (e) => isNunatakError(e, 'NOT_FOUND') && /unknown basin id '01022501'/.test(e.message));
  const noCol = brokenCopy((d) => writeFileSync(forcingFile(d), readFileSync(forcingFile(d), 'utf8').replace('tmax(C)', 'tmax')));
  assert.throws(() => loadCamels(noCol, ['01022500'], '2000-01-01', '2000-12-31', []), (e) => isNunatakError(e, 'INPUT') && /column 'tmax\(C\)' is missing/.test(e.message));
  const noDate = brokenCopy((d) => writeFileSync(forcingFile(d), readFileSync(forcingFile(d), 'utf8').replace(/\n2000 03 05 12[^\n]*/, '')));
  assert.throws(() => loadCamels(noDate, ['01022500'], '2000-01-01', '2000-12-31', []), (e) => isNunatakError(e, 'INPUT') && /no forcing for 2000-03-05/.test(e.message));
  assert.throws(() => loadCamels(DIR, ['01022500'], '2000-01-01', '2004-01-05', []), (e) => isNunatakError(e, 'INPUT') && /no forcing for 2004-01-01/.test(e.message));
  const neg = brokenCopy((d) => writeFileSync(forcingFile(d), readFileSync(forcingFile(d), 'utf8').replace(/\n(2000 01 03 12\s+\S+\s+)\S+/, '\n$1-2.5')));
  assert.throws(() => loadCamels(neg, ['01022500'], '2000-01-01', '2000-12-31', []), (e) => isNunatakError(e, 'INPUT') && /precipitation on 2000-01-03 is -2.5/.test(e.message));
  assert.throws(() => loadCamels(DIR, ['01022500'], '2000-01-01', '2000-12-31', ['p_maen']), (e) => isNunatakError(e, 'NOT_FOUND') && /p_mean/.test(e.message));
});
