/**
 * examples/emulator end to end in its --quick variant (2 SIA training cases
 * + held-out Hintereisferner, 100 a; a 3-layer CNN trained for a few epochs
 * by the `nunatak emulator train` CLI; Hintereisferner rerun with SIA,
 * emulated and diagnostic ice flow). Checks real properties, no timings:
 * - every case folder holds output.nc with thk, usurf, ubar, vbar shaped
 *   (6 saves, y, x) (read back with netCDF4 / NumPy);
 * - the training loss decreased and stayed finite;
 * - the report's per-save velocity / thickness / volume errors equal an
 *   independent netCDF4 + NumPy recomputation (relative 1e-4 + 1e-6 absolute:
 *   float32 fields, float64 sums on both sides);
 * - the emulated run is finite, its volume within 20 % of SIA's (both get
 *   the same SMB), and the emulator's speeds on the held-out SIA frames are
 *   positively correlated with SIA's (Pearson r > 0.5 over ice);
 * - the diagnostic run wrote one row per save with l1 ≤ l2 ≤ max.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/index.js';
import { loadEmulator } from '../../src/emulator/store.js';
import { gradient2d } from '../../src/emulator/slopes.js';
import { runExample } from '../../examples/emulator/run.js';
import { pearson } from '../../examples/emulator/compare.js';
import { PLANS } from '../../examples/emulator/plan.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 + 1e-4 * Math.abs(b), `${what}: ${a} vs NumPy ${b}`);

test('examples/emulator --quick: SIA data → nunatak emulator train → emulated Hintereisferner rerun', { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'nk-emu-example-'));
  try {
    const plan = PLANS.quick;
    const r = await runExample({ quick: true, out });
    const nSaves = plan.end / plan.save + 1;

    // Dataset layout and variables, read by netCDF4.
    for (const [split, c] of [...plan.train.map((c) => ['train', c] as const), ['test', plan.test] as const]) {
      const f = join(out, 'data', 'hef_sia', split, c.name, 'output.nc');
      assert.ok(existsSync(f), f);
      const shapes = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `import netCDF4,json,sys; d=netCDF4.Dataset(sys.argv[1]); print(json.dumps({v: list(d[v].shape) for v in ['thk','usurf','ubar','vbar','x','y']}))`, f]).toString());
      const [ny, nx] = [shapes.y[0], shapes.x[0]];
      for (const v of ['thk', 'usurf', 'ubar', 'vbar']) assert.deepEqual(shapes[v], [nSaves, ny, nx], `${f}: ${v}`);
    }

    // Training happened and improved.
    assert.ok(r.history.length >= 2);
    for (const h of r.history) assert.ok(Number.isFinite(h.loss) && Number.isFinite(h.val_loss));
    assert.ok(r.history.at(-1)!.loss < r.history[0].loss, `loss ${r.history[0].loss} → ${r.history.at(-1)!.loss}`);
    for (const f of ['model.onnx', 'fieldin.dat', 'fieldout.dat', 'train-history.csv']) assert.ok(existsSync(join(r.emulatorDir, f)), f);

    // Report numbers vs an independent recomputation.
    const ref = JSON.parse(execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'example_errors.py'), join(out, 'reruns', 'sia', 'output.nc'), join(out, 'reruns', 'emulated', 'output.nc')]).toString());
    assert.equal(r.errors.length, nSaves);
    r.errors.forEach((e, s) => {
      assert.equal(e.iceCells, ref[s].iceCells, `t ${e.t}: ice cells`);
      for (const k of ['t', 'velL1', 'velL2', 'thkL1', 'thkL2', 'volA', 'volB'] as const) close(e[k], ref[s][k], `t ${e.t}: ${k}`);
    });

    // The emulated run is physical.
    const last = r.errors.at(-1)!;
    assert.ok(last.iceCells > 100 && last.volB > 0, `emulated glacier: ${last.iceCells} cells, ${last.volB} km³`);
    assert.ok(Math.abs(last.volRel) < 0.2, `emulated volume ${last.volB} vs SIA ${last.volA} km³`);
    assert.ok(r.emulated.steps > 0 && Number.isFinite(r.emulated.volume));

    // The emulator on the held-out SIA frames: speeds correlated with SIA.
    const emu = await loadEmulator(r.emulatorDir);
    const ds = await openDataset(join(out, 'data', 'hef_sia', 'test', plan.test.name, 'output.nc'));
    const [x, y] = [ds.read('x', undefined, 'float64').data, ds.read('y', undefined, 'float64').data];
    const read = (v: string) => ds.read(v, undefined, 'float32').data as Float32Array;
    const [thk, usurf, ubar, vbar] = ['thk', 'usurf', 'ubar', 'vbar'].map(read);
    ds.close();
    const n = x.length * y.length;
    const sia: number[] = [];
    const pred: number[] = [];
    for (let t = 1; t < nSaves; t++) {
      const fr = (a: Float32Array) => a.slice(t * n, (t + 1) * n);
      const { gx, gy } = gradient2d(fr(usurf), y.length, x.length, x[1] - x[0], y[1] - y[0]);
      const p = await emu.predict({ thk: fr(thk), slopsurfx: gx, slopsurfy: gy }, y.length, x.length, { maskThk: true });
      for (let k = 0; k < n; k++) {
        if (!(thk[t * n + k] > 0)) continue;
        sia.push(Math.hypot(ubar[t * n + k], vbar[t * n + k]));
        pred.push(Math.hypot(p.ubar[k], p.vbar[k]));
      }
    }
    const corr = pearson(sia, pred);
    assert.ok(corr > 0.5, `speed correlation emulator vs SIA on held-out frames: ${corr}`);

    // Diagnostic rows: one per save, ordered norms.
    assert.equal(r.diagnosticRows.length, nSaves);
    for (const d of r.diagnosticRows) assert.ok(d.l1_m_a <= d.l2_m_a + 1e-9 && d.l2_m_a <= d.max_m_a + 1e-9 && d.sia_ms > 0 && d.emulator_ms > 0, JSON.stringify(d));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
