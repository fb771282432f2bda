/**
 * examples/emulator/compare.ts on hand-made NetCDF files: the per-save
 * velocity / thickness / volume differences equal values worked out by hand
 * on a 2 × 2 grid (1e-6 relative), and bad input fails with the file and
 * variable named (missing ubar, mismatched grids, missing timings row).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGrid } from '../../src/core/field/grid.js';
import { NunatakError } from '../../src/core/errors.js';
import { createNetcdf } from '../../src/io/netcdf/index.js';
import { compareRuns, pearson, readRun, readTiming } from '../../examples/emulator/compare.js';

const grid = makeGrid({ nx: 2, ny: 2, x0: 0, y0: 0, dx: 100, dy: 100 });

async function writeRun(dir: string, frames: Array<Record<string, number[]>>, names = ['thk', 'ubar', 'vbar']): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const w = await createNetcdf(join(dir, 'output.nc'), {
    grid,
    time: { units: 'years since 0000-01-01 00:00:00', calendar: '365_day' },
    variables: names.map((name) => ({ name, units: 'm', dtype: 'float32' as const })),
  });
  frames.forEach((f, t) => w.append(10 * t, Object.fromEntries(names.map((n) => [n, Float32Array.from(f[n])]))));
}

test('compareRuns: velocity, thickness and volume differences match a hand calculation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-emu-cmp-'));
  try {
    const zero = { thk: [0, 0, 0, 0], ubar: [0, 0, 0, 0], vbar: [0, 0, 0, 0] };
    // SIA: ice in cells 0, 1; emulated: ice in cells 1, 2. Union = cells 0, 1, 2.
    await writeRun(join(dir, 'a'), [zero, { thk: [100, 50, 0, 0], ubar: [3, 0, 0, 0], vbar: [4, 2, 0, 0] }]);
    await writeRun(join(dir, 'b'), [zero, { thk: [0, 80, 20, 0], ubar: [0, 0, 1, 0], vbar: [0, 2, 0, 0] }]);
    const [e0, e1] = compareRuns(await readRun(join(dir, 'a')), await readRun(join(dir, 'b')));
    assert.equal(e0.iceCells, 0);
    assert.equal(e0.velL1, 0);
    assert.equal(e1.t, 10);
    assert.equal(e1.iceCells, 3);
    // e = [5, 0, 1]; |Δthk| = [100, 30, 20]; reference speeds [5, 2, 0].
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    near(e1.velL1, 2, 'velL1');
    near(e1.velL2, Math.sqrt(26 / 3), 'velL2');
    near(e1.velMax, 5, 'velMax');
    near(e1.refSpeed, 7 / 3, 'refSpeed');
    near(e1.thkL1, 50, 'thkL1');
    near(e1.thkL2, Math.sqrt((10000 + 900 + 400) / 3), 'thkL2');
    near(e1.thkMax, 100, 'thkMax');
    near(e1.volA, 150 * 1e4 / 1e9, 'volA'); // 150 m × 100 m × 100 m in km³
    near(e1.volB, 100 * 1e4 / 1e9, 'volB');
    near(e1.volRel, -1 / 3, 'volRel');
    // speeds over the reference's ice cells: [5, 2] vs [0, 2] → r = −1
    near(e1.speedCorr, -1, 'speedCorr');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pearson: perfect, anti- and undefined correlation', () => {
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(pearson([1], [1])));
});

test('compare: a missing variable, mismatched runs and a missing timings row are named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-emu-cmp-'));
  try {
    const f = { thk: [1, 1, 1, 1], ubar: [0, 0, 0, 0], vbar: [0, 0, 0, 0] };
    await writeRun(join(dir, 'noubar'), [f], ['thk', 'vbar']);
    await assert.rejects(readRun(join(dir, 'noubar')), (e: unknown) => e instanceof NunatakError && /output\.nc: variable 'ubar' is missing/.test(e.message));
    await writeRun(join(dir, 'one'), [f]);
    await writeRun(join(dir, 'two'), [f, f]);
    const [one, two] = [await readRun(join(dir, 'one')), await readRun(join(dir, 'two'))];
    assert.throws(() => compareRuns(one, two), (e: unknown) => e instanceof NunatakError && /two\/output\.nc \(2×2×2\) does not match .*one\/output\.nc \(1×2×2\)/.test(e.message));
    writeFileSync(join(dir, 'one', 'timings.csv'), 'module,function,calls,total_ms,ms_per_call\nprocesses/thk,update,3,3.0,1.0\n');
    assert.deepEqual(readTiming(join(dir, 'one'), 'processes/thk'), { calls: 3, totalMs: 3, msPerCall: 1 });
    assert.throws(() => readTiming(join(dir, 'one')), (e: unknown) => e instanceof NunatakError && /timings\.csv: no row processes\/iceflow,update/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
