/**
 * The Hintereisferner SMB calibration (examples/hintereisferner/calibrate.ts)
 * against the same steps in NumPy (nanmean, np.interp at the sign change,
 * np.polyfit slopes) on the same WGMS file: agreement to 1e-9 relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PROFILE_FILE, calibrate, readProfiles } from '../../examples/hintereisferner/calibrate.js';

const PY = `
import csv, json, sys, numpy as np
rows = list(csv.reader(open(sys.argv[1])))
z = np.array([float(x) for x in rows[0][1:]])
years = np.array([int(r[0]) for r in rows[1:]])
B = np.array([[float(x) if x.strip() else np.nan for x in r[1:]] for r in rows[1:]]) / 910.0
out = []
for a, b in [(1964, 1990), (1991, 2020)]:
    sel = B[(years >= a) & (years <= b)]
    ok = ~np.all(np.isnan(sel), axis=0)
    zz, m = z[ok], np.nanmean(sel[:, ok], axis=0)
    k = next(i for i in range(1, len(m)) if m[i-1] < 0 and m[i] >= 0)
    ela = float(np.interp(0.0, [m[k-1], m[k]], [zz[k-1], zz[k]]))
    top = k + int(np.argmax(m[k:]))
    below = zz < ela
    above = (zz >= ela) & (np.arange(len(zz)) <= top)
    out.append(dict(ela=ela, gradabl=float(np.polyfit(zz[below], m[below], 1)[0]), gradacc=float(np.polyfit(zz[above], m[above], 1)[0]), accmax=float(m[top])))
print(json.dumps(out))
`;

test('SMB calibration from WGMS profiles agrees with NumPy', () => {
  const r = spawnSync('/usr/bin/python3', ['-c', PY, PROFILE_FILE], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as Array<Record<string, number>>;
  const p = readProfiles(PROFILE_FILE);
  const periods: Array<[number, number]> = [[1964, 1990], [1991, 2020]];
  periods.forEach((period, i) => {
    const c = calibrate(p, period);
    for (const k of ['ela', 'gradabl', 'gradacc', 'accmax'] as const) {
      assert.ok(Math.abs(c[k] - ref[i][k]) <= 1e-9 * Math.abs(ref[i][k]), `${period.join('–')} ${k}: ${c[k]} vs NumPy ${ref[i][k]}`);
    }
  });
  // the glacier's ELA rose by about 230 m between the two periods
  assert.ok(calibrate(p, [1991, 2020]).ela - calibrate(p, [1964, 1990]).ela > 200);
});
