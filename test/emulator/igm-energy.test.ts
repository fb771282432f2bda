// nunatak's Blatter–Pattyn energy is IGM's: on Hintereisferner (200 m grid, grown for 200 a by
// nunatak's SIA) with the velocity field of IGM's own pinnbp emulator, and on a synthetic valley
// with a random field under other vertical settings, nunatak's energy equals an independent
// float64 NumPy port of IGM 2.x `_iceflow_energy` (test/emulator/igm_energy.py) to 1e-6 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../../src/core/tensor/index.js';
import { defaultBPSettings, bpProblem, type BPSettings } from '../../src/sim/index.js';
import { hefGeometry } from '../../src/emulator/bp-hef.js';
import { loadBPEmulator, type BPInputGeometry } from '../../src/emulator/bp-emulator.js';
import { syntheticGeometries, DEFAULT_SYNTHETIC } from '../../src/emulator/bp-geometries.js';
import { Rng } from '../../src/emulator/rng.js';
import { PINNBP_DIR } from './pinnbp-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'nk-igm-energy-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function igmEnergy(g: BPInputGeometry, U: Float32Array, V: Float32Array, s: BPSettings): { J: number; shear: number; slid: number; grav: number } {
  const n = g.nx * g.ny;
  const buf = new Float32Array(4 * n + 2 * s.Nz * n);
  buf.set(g.thk, 0);
  buf.set(g.usurf, n);
  buf.fill(g.arrhenius as number, 2 * n, 3 * n);
  buf.fill(g.slidingco as number, 3 * n, 4 * n);
  buf.set(U, 4 * n);
  buf.set(V, 4 * n + s.Nz * n);
  const f = join(tmp, 'geom.f32');
  writeFileSync(f, buf);
  const out = execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'igm_energy.py'), f, String(g.ny), String(g.nx), String(s.Nz), String(g.dx), String(s.vert_spacing)]);
  return JSON.parse(out.toString());
}

test('Hintereisferner with the pinnbp field: nunatak energy = IGM energy (NumPy) to 1e-6', async () => {
  await ready('cpu');
  const s = defaultBPSettings();
  const g = await hefGeometry({ dx: 200, years: 200, arrhenius: 78, slidingco: 0.0464 });
  const emu = await loadBPEmulator(PINNBP_DIR, { runtime: 'tfjs' });
  const { U, V } = await emu.predict(g);
  const J = bpProblem(g, s).energy(U, V);
  const ref = igmEnergy(g, U, V, s);
  assert.ok(Math.abs(ref.shear) > 1e-3 && Math.abs(ref.grav) > 1e-3 && ref.slid > 0, JSON.stringify(ref));
  assert.ok(Math.abs(J - ref.J) <= 1e-6 * (Math.abs(ref.shear) + Math.abs(ref.grav)), `nunatak ${J} vs IGM ${ref.J}`);
});

test('synthetic valley, Nz 5, vert_spacing 1, random field: nunatak energy = IGM energy (NumPy) to 1e-6', () => {
  const s = defaultBPSettings({ Nz: 5, vert_spacing: 1 });
  const [g] = syntheticGeometries(1, { ...DEFAULT_SYNTHETIC, ny: 20, nx: 24, seed: 9 });
  const r = new Rng(4);
  const n = s.Nz * g.nx * g.ny;
  const U = Float32Array.from({ length: n }, (_, k) => (g.thk[k % (g.nx * g.ny)] > 0 ? 50 * (r.next() - 0.3) : 0));
  const V = Float32Array.from({ length: n }, (_, k) => (g.thk[k % (g.nx * g.ny)] > 0 ? 20 * (r.next() - 0.5) : 0));
  const J = bpProblem(g, s).energy(U, V);
  const ref = igmEnergy(g, U, V, s);
  assert.ok(Math.abs(J - ref.J) <= 1e-6 * (Math.abs(ref.shear) + Math.abs(ref.grav)), `nunatak ${J} vs IGM ${ref.J}`);
});
