// The 4D-STEM example at a small size: CoM recovers the known shift field,
// its curl is −2ω and its divergence 0 (analytic), the dark-field detector sees the grain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../examples/udf-4dstem/generate.js';
import { analyse } from '../../examples/udf-4dstem/analyse.js';

const dir = mkdtempSync(join(tmpdir(), 'nk-4dstem-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('4D-STEM example: CoM shifts, curl and divergence match the generating field', async () => {
  const o = { scan: 12, det: 32 };
  const path = join(dir, 'scan.raw');
  generate(path, o);
  const a = await analyse(path, o, 'threads', 2);
  // Disk of radius 4 px drawn with 4×4 supersampling: edge pixels are quantised to
  // 1/16 coverage, which moves the CoM by a few hundredths of a pixel at most.
  assert.ok(a.maxShiftError < 0.05, `max shift error ${a.maxShiftError}`);
  // The field is linear, so central differences are exact up to the CoM error.
  assert.ok(Math.abs(a.meanCurl - -0.1) < 5e-3, `curl ${a.meanCurl}`);
  assert.ok(Math.abs(a.meanDivergence) < 5e-3, `divergence ${a.meanDivergence}`);
  // Grain quadrant (top-left) scatters into the ring detector; elsewhere nothing does.
  assert.ok(a.adf[1 * 12 + 1] > 0);
  assert.equal(a.adf[10 * 12 + 10], 0);
  assert.ok(a.bf.every((v) => v > 0));
});
