/**
 * The sim time loop (src/models/sim-loop.ts) and the `glacier` example
 * package (Hintereisferner on a 200 m grid, 10-year steps):
 * - `nunatak models list` shows it; `nunatak models run` writes NetCDF that
 *   netCDF4-python reads, whose volume per lead equals a direct `sim` run's
 *   volume at the same save times (rel 1e-6; the two sum the same float32
 *   thickness in a different order);
 * - the restart token of step k, through JSON, yields steps k+1… bit-identical
 *   to the uninterrupted loop;
 * - bad packages and inputs are NunatakErrors naming the key or value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPackage, validateMetadata } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { runExperiment } from '../../src/sim/run.js';
import type { LoopItem, RestartToken, TimeLoop } from '../../src/models/time-loop.js';
import type { NdArray } from '../../src/models/array.js';
import { tempDir } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'nunatak.js');
const PKG = join(ROOT, 'examples', 'models', 'glacier');
const META = JSON.parse(readFileSync(join(PKG, 'metadata.json'), 'utf8')) as Record<string, unknown>;
const [NY, NX] = [28, 38];

function cli(args: string[]): string {
  return execFileSync(process.execPath, [BIN, '--quiet', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function take(loop: TimeLoop, n: number, time0: Date | null, x: NdArray | null, tok?: RestartToken): Promise<LoopItem[]> {
  const out: LoopItem[] = [];
  for await (const it of loop.loop(time0, x, tok)) {
    out.push(it);
    if (out.length === n) break;
  }
  return out;
}

const zeros = (): NdArray => ({ data: new Float32Array(NY * NX), shape: [1, 1, 1, NY, NX] });

test('glacier: models list shows it; models run output (netCDF4) matches a direct sim run in volume (rel 1e-6)', async () => {
  const list = cli(['models', 'list', '--registry', join(ROOT, 'examples', 'models')]);
  assert.match(list, /^glacier\s+entrypoint\s+1 → 3 channels\s+step P10Y\s+projected 28×38/m);

  const dir = tempDir();
  const cfg = join(dir, 'glacier.yaml');
  writeFileSync(cfg, `model: file://${PKG}\ndata: {file: ${join(PKG, 'initial.nc')}}\nstart_times: ["2000-01-01"]\nsteps: 3\noutput: {path: ${join(dir, 'glacier.nc')}}\n`);
  cli(['models', 'run', cfg]);
  const py = `
import netCDF4, json
d = netCDF4.Dataset(${JSON.stringify(join(dir, 'glacier.nc'))})
t = d['thk'][0, 0].astype('float64')
print(json.dumps({'vol': [float(t[k].sum()) * 200 * 200 / 1e9 for k in range(t.shape[0])], 'lead': [float(v) for v in d['lead_time'][:]],
  'shape': list(d['usurf'].shape), 'vmax': float(d['velbar_mag'][0, 0, 3].max())}))`;
  const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' })) as { vol: number[]; lead: number[]; shape: number[]; vmax: number };
  assert.deepEqual(r.shape, [1, 1, 4, NY, NX]);
  assert.deepEqual(r.lead, [0, 87660, 175320, 262980]); // 10-year steps, 8766 h a year

  const direct: number[] = [];
  await runExperiment({
    experiment: join(ROOT, 'examples', 'hintereisferner', 'quick.yaml'),
    overrides: ['inputs.local.dx=200', 'processes.time.end=30', 'processes.time.save=10', 'outputs=[]', 'sim.progress=false'],
    outDir: join(dir, 'direct'),
    onProgress: (p) => direct.push(p.volume),
  });
  assert.equal(direct.length, 4);
  assert.equal(r.vol[0], 0); // ice-free start
  assert.ok(direct[3] > 0.05, `the glacier grows (${direct[3]} km³)`);
  for (let k = 1; k < 4; k++) assert.ok(Math.abs(r.vol[k] - direct[k]) <= 1e-6 * direct[k], `lead ${k}: ${r.vol[k]} vs sim ${direct[k]} km³`);
  assert.ok(r.vmax > 0 && Number.isFinite(r.vmax));
});

test('glacier: resuming from the JSON token of step 2 reproduces steps 3 and 4 bit-identically', async () => {
  const loop = await loadTimeLoop(readPackage(PKG));
  const t0 = new Date('2000-01-01T00:00:00Z');
  const full = await take(loop, 5, t0, zeros());
  assert.deepEqual(full.map((i) => i.step), [0, 1, 2, 3, 4]);
  assert.equal(full[4].time.toISOString(), '2040-01-01T00:00:00.000Z');
  const tok = JSON.parse(JSON.stringify(full[2].restart)) as RestartToken;
  assert.equal(tok.kind, 'sim');
  const resumed = await take(loop, 2, null, null, tok);
  assert.deepEqual(resumed.map((i) => i.step), [3, 4]);
  for (let k = 0; k < 2; k++) {
    assert.equal(resumed[k].time.toISOString(), full[3 + k].time.toISOString());
    assert.deepEqual(resumed[k].y.shape, [1, 3, NY, NX]);
    assert.ok(resumed[k].y.data.every((v, i) => Object.is(v, full[3 + k].y.data[i])), `step ${3 + k} differs after resume`);
  }
  // a non-zero initial thickness (the state after 20 a) as x continues like the token does, for thk
  const fromX = await take(loop, 2, t0, { data: full[2].y.data.slice(0, NY * NX), shape: [1, 1, 1, NY, NX] });
  assert.ok(fromX[0].y.data.subarray(0, NY * NX).every((v, i) => v === full[2].y.data[i]));
});

test('sim packages: bad channels, time step, grid, kwargs and initial thickness are NunatakErrors', async () => {
  const dir = tempDir();
  const pkgDir = join(dir, 'g');
  cpSync(PKG, pkgDir, { recursive: true });
  const withMeta = async (patch: Record<string, unknown>) => {
    const m = { ...META, ...patch, entrypoint: { name: `file://${ROOT}/src/models/sim-loop.ts#load`, kwargs: { experiment: join(ROOT, 'examples', 'hintereisferner', 'quick.yaml'), overrides: ['inputs.local.dx=200'], ...(patch.kwargs as object) } } };
    delete (m as Record<string, unknown>).kwargs;
    return loadTimeLoop(validateMetadata(pkgDir, m, 'g'));
  };
  await assert.rejects(withMeta({ in_channels: ['usurf'] }), /in_channels \["thk"\].*got \[usurf\]/);
  await assert.rejects(withMeta({ time_step: 'P6M' }), /time_step 'P6M' must be whole years/);
  await assert.rejects(withMeta({ kwargs: { experimnt: 'x' } }), /unknown key 'experimnt'/);
  await assert.rejects(withMeta({ kwargs: { experiment: 'nowhere' } }), /experiment .*nowhere does not exist/);
  const shifted = await withMeta({ grid: { x: { start: 631000, step: 200, n: 38 }, y: { start: 5182100, step: 200, n: 28 }, crs: 'EPSG:32632' } });
  await assert.rejects(take(shifted, 1, new Date(0), zeros()), /grid\.x\[0\] = 631000 but the experiment's cell centre is 630900 m/);
  const small = await withMeta({ grid: { x: { start: 630900, step: 200, n: 37 }, y: { start: 5182100, step: 200, n: 28 }, crs: 'EPSG:32632' } });
  await assert.rejects(take(small, 1, new Date(0), { data: new Float32Array(NY * 37), shape: [1, 1, 1, NY, 37] }), /grid is 28×37 but experiment .* makes 28×38/);
  const loop = await withMeta({});
  const bad = zeros();
  bad.data[5 * NX + 7] = -1;
  await assert.rejects(take(loop, 1, new Date(0), bad), /initial thk \(batch 0\) is -1 at row 5, column 7/);
  bad.data[5 * NX + 7] = NaN;
  await assert.rejects(take(loop, 1, new Date(0), bad), /initial thk \(batch 0\) is NaN/);
  await assert.rejects(take(loop, 1, null, null, { kind: 'inference', step: 1, time: '2000-01-01' }), /restart token of kind 'inference' is not a sim token/);
});
