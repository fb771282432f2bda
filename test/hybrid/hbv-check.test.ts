/** HBV kernel input check and calendar dates: bad values are errors naming what, not NaN discharge or a rolled-over date. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hbvForward } from '../../src/hybrid/hbv/kernel.js';
import { hbvLayout } from '../../src/hybrid/hbv/params.js';
import { dateRange } from '../../src/hybrid/data/camels.js';

const { flags } = hbvLayout('hbv1.0');
// BETA FC K0 K1 K2 LP PERC UZL TT CFMAX CFR CWH, all inside HBV_BOUNDS
const params = [1, 100, 0.5, 0.1, 0.05, 0.5, 2, 10, 0, 2, 0.05, 0.1];
const run = (over: { P?: number[]; T?: number[]; params?: number[] }) =>
  hbvForward({ nt: 2, nb: 1, nm: 1, np: 12, params: over.params ?? params, P: over.P ?? [1, 2], T: over.T ?? [3, 4], PET: [1, 1] }, flags);
const input = (re: RegExp) => (e: Error & { code?: string }) => e.code === 'INPUT' && re.test(e.message);

test('HBV kernel: valid input runs (finite discharge)', () => {
  assert.ok(Array.from(run({}).Q).every(Number.isFinite));
});

test('HBV kernel: NaN forcing is an error naming the series and day', () => {
  assert.throws(() => run({ P: [1, NaN] }), input(/precipitation P is NaN on day 1, basin 0/));
  assert.throws(() => run({ T: [Infinity, 1] }), input(/temperature T is Infinity on day 0/));
});

test('HBV kernel: a parameter outside its bounds is an error naming it and the bounds', () => {
  assert.throws(() => run({ params: params.map((v, i) => (i === 1 ? 5 : v)) }), input(/FC = 5 .* outside its bounds \[50, 1000\] mm/));
  assert.throws(() => run({ params: params.map((v, i) => (i === 0 ? NaN : v)) }), input(/BETA = NaN/));
});

test("hybrid dates: 2001-02-30 is an error, not 2001-03-02", () => {
  assert.throws(() => dateRange('2001-01-01', '2001-02-30'), (e: Error & { code?: string }) => e.code === 'CONFIG' && /end date '2001-02-30' is not a calendar day/.test(e.message));
  assert.throws(() => dateRange('2001-13-01', '2001-12-30'), /start date '2001-13-01'/);
  assert.equal(dateRange('2000-02-27', '2000-03-01').length, 4); // leap day kept
});
