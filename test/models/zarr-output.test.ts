/**
 * `models run` with a `.zarr` output: the store opens with Debian's
 * `xarray.open_zarr(path)` (zarr-python 2) at default settings, without a
 * warning, and is identical (xarray.testing.assert_identical: dims, coords,
 * values bit for bit, every attribute but the history timestamp and the
 * run config, which differ only in the output) to the
 * NetCDF forecast of the same config. Cases: a 2-member gaussian ensemble of
 * persistence on the 360_day HadCM3 A1B source in K (time decodes to
 * Datetime360Day), and the glacier package on EPSG:32632 (grid mapping with
 * WKT). Format 3 is read back with zarrita and equals the format-2 values.
 * A run that fails before any save leaves no store; one killed after a saved
 * round resumes to the same forecast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { loadRunConfig } from '../../src/models/run-config.js';
import { runModels } from '../../src/models/run.js';
import { openZarrPeer } from '../helpers/xarray-zarr.js';
import { tempDir } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const d = tempDir('nk-models-zarr-');

async function run(name: string, body: string, out: string, extra = ''): Promise<string> {
  const f = join(d, `${name}.yaml`);
  writeFileSync(f, `${body}output: {path: ${out}${extra}}\n`);
  const { cfg, text } = loadRunConfig(f);
  await runModels(cfg, { configText: text });
  return out;
}

/** The two files' run configs differ in their output only. */
function sameConfigButOutput([a, b]: Array<string | null>): void {
  const [ca, cb] = [JSON.parse(a!) as { output: unknown }, JSON.parse(b!) as { output: unknown }];
  assert.notDeepEqual(ca.output, cb.output);
  assert.deepEqual({ ...ca, output: null }, { ...cb, output: null });
}

const A1B = `model: ${join(ROOT, 'examples', 'models', 'persistence')}\ndata: {file: ${join(ROOT, 'data', 'models', 'A1B_north_america.nc')}, lexicon: {t2m: air_temperature}}\nstart_times: ["2041-06-01", "2043-06-01"]\nsteps: 2\nmembers: 2\nperturbation: {method: gaussian, amplitude: 0.5, seed: 3}\n`;

test('models run → .zarr: xarray.open_zarr reads it identical to the NetCDF forecast; 360_day time, units K', async () => {
  const nc = await run('a1b-nc', A1B, join(d, 'a1b.nc'));
  const zs = await run('a1b-zarr', A1B, join(d, 'a1b.zarr'));
  const v = openZarrPeer(zs, nc);
  assert.deepEqual(v.warnings, []);
  assert.equal(v.identical, 'yes');
  sameConfigButOutput(v.config!);
  assert.deepEqual(v.sizes, { time: 2, ensemble: 2, lead_time: 3, lat: v.sizes.lat, lon: v.sizes.lon });
  assert.ok(v.sizes.lat > 1 && v.sizes.lon > 1);
  assert.deepEqual(v.vars.t2m.dims, ['time', 'ensemble', 'lead_time', 'lat', 'lon']);
  assert.equal(v.vars.t2m.dtype, 'float32');
  assert.equal(v.vars.t2m.attrs.units, 'K');
  assert.deepEqual(v.coords, ['ensemble', 'lat', 'lead_time', 'lon', 'time']);
  assert.deepEqual(v.time, { iso: ['2041-06-01T00:00:00', '2043-06-01T00:00:00'], calendar: '360_day', units: 'hours since 2041-06-01 00:00:00' });
  assert.equal(v.vars.lead_time.dtype, 'timedelta64[ns]'); // 'hours' decoded as a time delta
});

test('models run on EPSG:32632 → .zarr: grid_mapping crs with the UTM 32N WKT, identical to the NetCDF forecast', async () => {
  const pkg = join(ROOT, 'examples', 'models', 'glacier');
  const body = `model: file://${pkg}\ndata: {file: ${join(pkg, 'initial.nc')}}\nstart_times: ["2000-01-01"]\nsteps: 1\n`;
  const nc = await run('glacier-nc', body, join(d, 'glacier.nc'));
  const zs = await run('glacier-zarr', body, join(d, 'glacier-store'), ', format: zarr');
  const v = openZarrPeer(zs, nc);
  assert.deepEqual(v.warnings, []);
  assert.equal(v.identical, 'yes');
  sameConfigButOutput(v.config!);
  assert.equal(v.vars.thk.attrs.units, 'm');
  assert.equal(v.vars.thk.attrs.grid_mapping, 'crs');
  assert.equal(v.vars.crs.attrs.epsg_code, 'EPSG:32632');
  assert.match(v.vars.crs.attrs.crs_wkt, /UTM zone 32N/);
  assert.equal(v.vars.y.attrs.standard_name, 'projection_y_coordinate');
});

test('models run → zarr format 3 (zarr_format: 3): zarrita reads the same values and dimension names as format 2', async () => {
  const z2 = join(d, 'a1b.zarr');
  if (!existsSync(z2)) await run('a1b-zarr', A1B, z2);
  const z3 = await run('a1b-v3', A1B, join(d, 'a1b-v3.zarr'), ', zarr_format: 3');
  assert.ok(existsSync(join(z3, 'zarr.json')) && !existsSync(join(z3, '.zgroup')));
  const read = async (p: string) => zarr.get((await zarr.open(zarr.root(new FileSystemStore(p)).resolve('t2m'), { kind: 'array' })) as zarr.Array<'float32', FileSystemStore>);
  const a3 = await zarr.open(zarr.root(new FileSystemStore(z3)).resolve('t2m'), { kind: 'array' });
  assert.deepEqual(a3.dimensionNames, ['time', 'ensemble', 'lead_time', 'lat', 'lon']);
  assert.equal(a3.attrs.units, 'K');
  const [c2, c3] = [await read(z2), await read(z3)];
  assert.deepEqual(c3.shape, c2.shape);
  assert.deepEqual(Buffer.from((c3.data as Float32Array).buffer), Buffer.from((c2.data as Float32Array).buffer));
});

test('a zarr run that fails before saving anything leaves no store behind (a retry needs no --overwrite)', async () => {
  const pkg = join(d, 'broken');
  cpSync(join(ROOT, 'examples', 'models', 'persistence'), pkg, { recursive: true });
  writeFileSync(join(pkg, 'persistence.ts'), 'export function load() { return { step() { throw new Error("weights missing"); } }; }\n');
  const out = join(d, 'broken.zarr');
  await assert.rejects(run('broken', A1B.replace(/^model: .*$/m, `model: ${pkg}`), out), /weights missing/);
  assert.ok(!existsSync(out) && !existsSync(`${out}.progress.json`), 'no stub store');
});

test('an interrupted zarr run resumes (--resume) to the same forecast as an uninterrupted one', async () => {
  const pkg = join(d, 'flaky');
  cpSync(join(ROOT, 'examples', 'models', 'persistence'), pkg, { recursive: true });
  // persistence that throws on its 4th call while NK_ZARR_CRASH is set (a killed run after one saved round)
  writeFileSync(
    join(pkg, 'persistence.ts'),
    `import { load as base } from '${join(ROOT, 'examples', 'models', 'persistence', 'persistence.ts')}';
export function load(pkg: never) {
  const m = base(pkg);
  return { step(x: never) {
    const g = globalThis as { nkCalls?: number };
    g.nkCalls = (g.nkCalls ?? 0) + 1;
    if (process.env.NK_ZARR_CRASH && g.nkCalls > 3) throw new Error('simulated crash');
    return m.step(x);
  } };
}
`,
  );
  const body = A1B.replace(/^model: .*$/m, `model: ${pkg}`).replace('steps: 2', 'steps: 3\nchunk_steps: 1\nbatch_size: 1');
  const nc = await run('flaky-nc', body, join(d, 'flaky.nc'));
  const out = join(d, 'flaky.zarr');
  const f = join(d, 'flaky-zarr.yaml');
  writeFileSync(f, `${body}output: {path: ${out}}\n`);
  const { cfg, text } = loadRunConfig(f);
  process.env.NK_ZARR_CRASH = '1';
  (globalThis as { nkCalls?: number }).nkCalls = 0;
  try {
    await assert.rejects(runModels(cfg, { configText: text }), /simulated crash/);
  } finally {
    delete process.env.NK_ZARR_CRASH;
  }
  assert.ok(existsSync(`${out}.progress.json`), 'progress kept for --resume');
  const partial = openZarrPeer(out, nc);
  assert.notEqual(partial.identical, 'yes', 'the interrupted store lacks outputs');
  await runModels(cfg, { configText: text, resume: true });
  const v = openZarrPeer(out, nc);
  assert.equal(v.identical, 'yes');
});
