/**
 * The example packages on the real HadCM3 A1B fields (small sizes):
 * persistence/climatology run + score through the CLI, checked against
 * NumPy/netCDF4 on the same data; the network's ONNX export equals its TF.js
 * model; an ensemble file is readable by netCDF4-python with the control
 * member equal to the deterministic run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf } from '../../src/core/tensor/index.js';
import { readPackage } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { NetcdfSource } from '../../src/models/netcdf-source.js';
import { initialState } from '../../src/models/datasource.js';
import { loadRunConfig } from '../../src/models/run-config.js';
import { runModels } from '../../src/models/run.js';
import { climatologyFromYears, scoreForecast, writeScores } from '../../src/models/score.js';
import { tempDir } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'nunatak.js');
const DATA = join(ROOT, 'data', 'models', 'A1B_north_america.nc');
const EX = join(ROOT, 'examples', 'models');

function cli(args: string[]): string {
  return execFileSync(process.execPath, [BIN, '--quiet', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function config(dir: string, name: string, model: string, extra = ''): string {
  const p = join(dir, `${name}.yaml`);
  writeFileSync(p, `model: ${model}\ndata: {file: ${DATA}, lexicon: {t2m: air_temperature}}\nstart_times: ["2041-06-01", "2050-06-01", "2070-06-01"]\nsteps: 4\noutput: {path: ${join(dir, name + '.nc')}}\n${extra}`);
  return p;
}

test('persistence and climatology: run + score on 2041–2074; RMSE and ACC agree with NumPy (rel 1e-5)', async () => {
  const dir = tempDir();
  // persistence through the CLI, the rest in-process (same code, less start-up time)
  assert.match(cli(['models', 'run', config(dir, 'persistence', join(EX, 'persistence'))]), /3 initial time\(s\) × 1 member\(s\) × 5 lead\(s\)/);
  const c = loadRunConfig(config(dir, 'climatology', join(EX, 'climatology')));
  await runModels(c.cfg, { configText: c.text });
  const src = await NetcdfSource.open(DATA, { lexicon: { t2m: 'air_temperature' } });
  const clim = await climatologyFromYears(src, ['t2m'], 1860, 2040);
  const results = [await scoreForecast(join(dir, 'persistence.nc'), src, clim), await scoreForecast(join(dir, 'climatology.nc'), src, clim)];
  src.close();
  await writeScores(join(dir, 'scores'), results, { name: 'a', hours: 8766 });
  for (const f of ['persistence.scores.nc', 'climatology.scores.nc', 'rmse.png', 'acc_centred.png', 'acc_uncentred.png']) assert.ok(existsSync(join(dir, 'scores', f)), f);
  const py = `
import json, netCDF4 as nc, numpy as np
src = nc.Dataset('${DATA}'); v = src['air_temperature'][:].astype('f8'); years = 1860 + np.arange(v.shape[0])
w = np.cos(np.deg2rad(src['latitude'][:].astype('f8')))[:, None] * np.ones((1, v.shape[2]))
wm = lambda z: (w * z).sum() / w.sum()
clim = v[years <= 2040].mean(0)
out = {}
for name in ['persistence', 'climatology']:
    f = nc.Dataset('${dir}/' + name + '.nc')['t2m'][:]
    assert f.shape == (3, 1, 5, 37, 49), f.shape
    rmse, accu, accc = [], [], []
    for k in range(5):
        mse, xx, yy, xy, cc = [], [], [], [], []
        for i, y0 in enumerate([2041, 2050, 2070]):
            o = v[years == y0 + k][0]; fc = f[i, 0, k].astype('f8')
            mse.append(wm((fc - o) ** 2)); fa = fc - clim; oa = o - clim
            xx.append(wm(oa ** 2)); yy.append(wm(fa ** 2)); xy.append(wm(fa * oa))
            fcen = fa - wm(fa); ocen = oa - wm(oa); den = np.sqrt((w * fcen ** 2).sum() * (w * ocen ** 2).sum())
            cc.append((w * fcen * ocen).sum() / den if den > 0 else np.nan)
        rmse.append(np.sqrt(np.mean(mse))); accu.append(np.mean(xy) / np.sqrt(np.mean(xx) * np.mean(yy)) if np.mean(yy) > 0 else np.nan); accc.append(np.mean(cc))
    s = nc.Dataset('${dir}/scores/' + name + '.scores.nc')
    out[name] = dict(ref=[rmse, accu, accc], got=[s['rmse_t2m'][:].tolist(), s['acc_uncentred_t2m'][:].tolist(), s['acc_centred_t2m'][:].tolist()])
print(json.dumps(out).replace('NaN', 'null'))`;
  const res = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' })) as Record<string, { ref: (number | null)[][]; got: (number | null)[][] }>;
  for (const [name, r] of Object.entries(res)) {
    r.ref.forEach((row, s) => row.forEach((v, k) => {
      const g = r.got[s][k];
      if (v === null) assert.equal(g, null, `${name} score ${s} lead ${k}: NaN expected`);
      else assert.ok(g !== null && Math.abs(g - v) <= 1e-5 * Math.max(1, Math.abs(v)), `${name} score ${s} lead ${k}: ${g} vs NumPy ${v}`);
    }));
  }
  // persistence at lead 0: RMSE 0, ACC 1 (both forms)
  assert.equal(res.persistence.got[0][0], 0);
  assert.ok(Math.abs(res.persistence.got[1][0]! - 1) < 1e-9 && Math.abs(res.persistence.got[2][0]! - 1) < 1e-9);

  // two forecasts of one model get two scores files; a scores file of another forecast is never replaced
  copyFileSync(join(dir, 'persistence.nc'), join(dir, 'persistence-rerun.nc'));
  const src2 = await NetcdfSource.open(DATA, { lexicon: { t2m: 'air_temperature' } });
  const twice = [await scoreForecast(join(dir, 'persistence.nc'), src2, clim), await scoreForecast(join(dir, 'persistence-rerun.nc'), src2, clim)];
  await writeScores(join(dir, 'scores2'), twice, { name: 'a', hours: 8766 });
  for (const f of ['persistence-persistence.scores.nc', 'persistence-persistence-rerun.scores.nc']) assert.ok(existsSync(join(dir, 'scores2', f)), f);
  const other = await scoreForecast(join(dir, 'climatology.nc'), src2, clim, 'persistence');
  src2.close();
  await assert.rejects(writeScores(join(dir, 'scores'), [other], { name: 'a', hours: 8766 }), /holds the scores of .*persistence\.nc.*not overwriting/);
  // units: the scores carry the channel's units from the forecast file (netCDF4 reads both)
  const units = execFileSync('/usr/bin/python3', ['-c', `import netCDF4 as nc; print(nc.Dataset('${dir}/persistence.nc')['t2m'].units, '|', nc.Dataset('${dir}/scores/persistence.scores.nc')['rmse_t2m'].units, '|', nc.Dataset('${dir}/scores/persistence.scores.nc')['acc_centred_t2m'].units)`], { encoding: 'utf8' }).trim().split(' | ');
  assert.deepEqual([units[1], units[2]], [units[0], '1']);
});

test('network: the exported ONNX step equals the TF.js model it was trained as (abs 1e-4 normalised)', async () => {
  const dir = tempDir();
  const { train } = await import('../../examples/models/network/train.js');
  const r = await train({ outDir: dir, epochs: 1 });
  const pkg = readPackage(dir);
  assert.equal(pkg.kind, 'onnx');
  const loop = await loadTimeLoop(pkg);
  const src = await NetcdfSource.open(DATA, { lexicon: { t2m: 'air_temperature' } });
  const x = await initialState(src, pkg, new Date(Date.UTC(2045, 5, 1)));
  src.close();
  let onnxY: Float32Array | undefined;
  for await (const it of loop.loop(new Date(Date.UTC(2045, 5, 1)), x)) {
    if (it.step === 1) {
      onnxY = it.y.data;
      break;
    }
  }
  // reference: TF.js dense-on-patches model (im2col written here again, zero padding)
  const NY = 37, NX = 49, NPIX = NY * NX;
  const a = [0, 1].map((t) => Float32Array.from({ length: NPIX }, (_, p) => (x.data[t * NPIX + p] - r.center) / r.scale - r.climN[p]));
  const feats = new Float32Array(NPIX * 18);
  for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) for (let ci = 0; ci < 2; ci++) {
    const jj = j + kh - 1, ii = i + kw - 1;
    feats[(j * NX + i) * 18 + (kh * 3 + kw) * 2 + ci] = jj >= 0 && jj < NY && ii >= 0 && ii < NX ? a[ci][jj * NX + ii] : 0;
  }
  const pred = tf.tidy(() => (r.model.predict(tf.tensor2d(feats, [NPIX, 18])) as import('@tensorflow/tfjs').Tensor).dataSync() as Float32Array);
  let maxd = 0;
  for (let p = 0; p < NPIX; p++) maxd = Math.max(maxd, Math.abs((onnxY![p] - r.center) / r.scale - (pred[p] + r.climN[p])));
  assert.ok(maxd < 1e-4, `ONNX vs TF.js max |Δ| = ${maxd}`);
  await loop.close?.();
});

test('bred-vector ensemble of the network on 2 threads: netCDF4-python reads it; member 0 equals the deterministic run', async () => {
  const dir = tempDir();
  const net = join(EX, 'network');
  const det = loadRunConfig(config(dir, 'det', net));
  await runModels(det.cfg, { configText: det.text });
  const ens = loadRunConfig(config(dir, 'ens', net, 'members: 4\nbatch_size: 2\nperturbation: {method: bred_vector, amplitude: {t2m: 0.3}, seed: 2, breeding_cycles: 2}\nexecutor: {kind: threads, workers: 2}\nchunk_steps: 2\n'));
  await runModels(ens.cfg, { configText: ens.text });
  const py = `
import json, netCDF4 as nc, numpy as np
e = nc.Dataset('${dir}/ens.nc'); d = nc.Dataset('${dir}/det.nc')
v = e['t2m']; f = v[:]
print(json.dumps(dict(dims=list(v.dimensions), shape=list(v.shape), conv=e.Conventions, lead_units=e['lead_time'].units,
  time_units=e['time'].units, ctrl=float(np.abs(f[:, 0] - d['t2m'][:, 0]).max()), spread1=float(f[:, 1:, 1].std(1).mean()),
  diff0=float(np.abs(f[:, 1:, 0] - f[:, :1, 0]).max()), finite=bool(np.isfinite(f).all()), cfg='bred_vector' in e.nunatak_config)))`;
  const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' })) as Record<string, unknown>;
  assert.deepEqual(r.dims, ['time', 'ensemble', 'lead_time', 'lat', 'lon']);
  assert.deepEqual(r.shape, [3, 4, 5, 37, 49]);
  assert.equal(r.time_units, 'hours since 2041-06-01 00:00:00');
  assert.equal(r.ctrl, 0);
  assert.ok((r.diff0 as number) > 0.1 && (r.spread1 as number) > 0.01, JSON.stringify(r));
  assert.equal(r.finite, true);
  assert.equal(r.cfg, true);
});
