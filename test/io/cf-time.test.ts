/**
 * CF time decoding against cftime (the reference implementation used by
 * netCDF4-python/xarray): for every calendar and several units, 200 offsets
 * (spanning centuries, negative ones, fractional days) decode to the same
 * calendar date and time, seconds equal within 1 µs; encodeTime inverts
 * decodeTimes within 1e-9 relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTimes, encodeTime, formatCfDate, parseTimeUnits, toJsDate } from '../../src/io/netcdf/cf-time.js';
import { isNunatakError } from '../../src/core/errors.js';
import { py } from './peer.js';

const CASES: Array<[string, string]> = [
  ['days since 1850-01-01 00:00:00', 'standard'],
  ['days since 1500-02-27', 'standard'], // crosses the 1582 Julian→Gregorian switch
  ['hours since 1970-01-01 00:00:00', 'proleptic_gregorian'],
  ['seconds since 2000-01-01T06:00:00', 'gregorian'],
  ['days since 0001-01-01', 'noleap'],
  ['hours since 1970-01-01 00:00:00', '360_day'],
  ['minutes since 1999-12-31 23:00', 'all_leap'],
  ['days since 1400-03-01', 'julian'],
  ['days since 2000-01-01', '365_day'],
];

test('decodeTimes agrees with cftime for all calendars', () => {
  // Deterministic pseudo-random offsets.
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [units, cal] of CASES) {
    const scale = units.startsWith('seconds') ? 86400 : units.startsWith('minutes') ? 1440 : units.startsWith('hours') ? 24 : 1;
    const vals = Array.from({ length: 200 }, (_, i) => Math.round((rnd() - 0.3) * 150000 * scale * (i % 2 ? 1 : 0.01) * 4) / 4);
    vals.push(0, 1, -1);
    const code = `import cftime, json, sys\nv = json.loads(sys.stdin.read())\nd = cftime.num2date(v, ${JSON.stringify(units)}, ${JSON.stringify(cal)})\nprint(json.dumps([[x.year, x.month, x.day, x.hour, x.minute, x.second + x.microsecond / 1e6] for x in d]))`;
    const want: number[][] = JSON.parse(py(['-c', code], JSON.stringify(vals)));
    const got = decodeTimes(vals, units, cal);
    got.forEach((d, i) => {
      const w = want[i];
      const msg = `${units} (${cal}) value ${vals[i]}: got ${formatCfDate(d!)}, cftime ${w.join(' ')}`;
      assert.deepEqual([d!.year, d!.month, d!.day, d!.hour, d!.minute], w.slice(0, 5), msg);
      assert.ok(Math.abs(d!.second - w[5]) < 1e-6, msg);
      const back = encodeTime(d!, units, cal);
      assert.ok(Math.abs(back - vals[i]) <= 1e-9 * Math.max(1, Math.abs(vals[i])), `encode ${msg}: ${back}`);
    });
  }
});

test('years/months units, JS dates and bad units', () => {
  const [d] = decodeTimes([1.5], 'years since 2000-01-01', '360_day');
  assert.equal(formatCfDate(d!), '2001-07-01 00:00:00');
  const [m] = decodeTimes([13], 'months since 2000-01-01', '360_day');
  assert.equal(formatCfDate(m!), '2001-02-01 00:00:00');
  assert.equal(toJsDate(decodeTimes([366], 'days since 2000-01-01')[0]!).toISOString(), '2001-01-01T00:00:00.000Z');
  assert.equal(decodeTimes([NaN], 'days since 2000-01-01')[0], undefined);
  assert.throws(() => toJsDate(d!), (e) => isNunatakError(e, 'INPUT') && /360_day/.test(e.message));
  assert.throws(() => parseTimeUnits('days after 2000-01-01'), (e) => isNunatakError(e, 'INPUT') && /not '<unit> since <date>'/.test(e.message));
  assert.throws(() => parseTimeUnits('days since 2000-01-01', 'martian'), (e) => isNunatakError(e, 'INPUT') && /unknown calendar 'martian'/.test(e.message));
  assert.throws(() => parseTimeUnits('days since 2001-02-29', 'noleap'), (e) => isNunatakError(e, 'INPUT') && /does not exist/.test(e.message));
  assert.equal(parseTimeUnits('days since 2000-02-30', '360_day').reference.day, 30);
});
