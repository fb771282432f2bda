/**
 * Face detection and the face routes of `nunatak view`, without a browser:
 * a real sim run folder, a models forecast + scores folder, a hybrid
 * evaluation folder and an emulator training folder are recognised; the
 * verification map equals the data file's field at the valid time and the
 * spread equals numpy's std(ddof=1) over members (netCDF4-python + cftime
 * read the files independently, tolerance 1e-5 relative: float32); tables and
 * JSON come back as the files hold them; other files stay behind the path guard.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import type { EmulatorFace, Face, HybridFace, ModelsFace, SimFace, TableBody } from '../../src/view/face-protocol.ts';
import { A1B, BASINS, emulatorRun, hybridEval, modelsRun, simRun } from './face-fixtures.ts';

let base: string;
let sim: string;
let server: ViewServer;
let alone: ViewServer;

before(async () => {
  if (spawnSync(process.execPath, ['scripts/build-view.mjs']).status !== 0) throw new Error('build-view failed');
  base = mkdtempSync(join(tmpdir(), 'nk-view-faces-'));
  sim = await simRun();
  await modelsRun(join(base, 'models'));
  hybridEval(join(base, 'hybrid', 'test_2000_2001'));
  emulatorRun(join(base, 'emu'));
  server = await startViewServer({ paths: [sim, join(base, 'models'), A1B, join(base, 'hybrid'), join(base, 'emu')], port: 0 });
  alone = await startViewServer({ paths: [join(base, 'models')], port: 0 });
});

after(async () => {
  await server?.close();
  await alone?.close();
});

const get = (s: ViewServer, p: string) => fetch(s.url + p.replace(/^\//, ''));
/** GET with the path sent exactly as written (fetch would resolve '..' and '%2e%2e' before sending). */
const rawGet = (s: ViewServer, path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
const json = async <T>(s: ViewServer, p: string): Promise<T> => {
  const r = await get(s, p);
  assert.equal(r.status, 200, `${p}: ${r.status}`);
  return (await r.json()) as T;
};
const f32 = async (r: Response) => new Float32Array(await r.arrayBuffer());

test('faces are found from folder contents', async () => {
  const faces = await json<Face[]>(server, '/api/faces');
  assert.deepEqual(faces.map((f) => f.kind), ['sim', 'models', 'hybrid', 'emulator']);
  const s = faces[0] as SimFace;
  assert.deepEqual([s.output, s.ts, s.timings, s.bed, s.mask], ['0/output.nc', '0/output_ts.nc', '0/timings.csv', 'topg', 'icemask']);
  assert.deepEqual(s.maps, ['thk', 'velbar_mag', 'velsurf_mag', 'usurf', 'smb', 'topg']);
  assert.deepEqual(s.series, [['vol'], ['area'], ['smb_volume', 'outflow_volume', 'clipped_volume']]);
  const m = faces[1] as ModelsFace;
  assert.deepEqual(m.forecasts, [{ id: '1/fc.nc', label: 'fc.nc', channels: ['t2m'], members: 3, verification: '2' }]);
  assert.deepEqual(m.scores.map((x) => [x.id, x.label, x.forecast]), [['1/scores/persistence.scores.nc', 'persistence', '1/fc.nc']]);
  assert.ok(m.scores[0].vars.includes('rmse_t2m') && m.scores[0].vars.includes('spread_t2m'));
  const h = faces[2] as HybridFace;
  assert.deepEqual([h.streamflow, h.metrics, h.basins], ['3/test_2000_2001/streamflow.csv', '3/test_2000_2001/metrics.json', BASINS]);
  const e = faces[3] as EmulatorFace;
  assert.deepEqual([e.history, e.scores, e.images.map((i) => i.id)], ['4/train-history.csv', '4/predict-scores.txt', ['4/caseA/predict-caseA_0000.png', '4/caseA/predict-caseA_0000-diff.png']]);
  // the forecast folder served alone: no verification, and the page is told why
  const [only] = await json<ModelsFace[]>(alone, '/api/faces');
  assert.equal(only.forecasts[0].verification, undefined);
  assert.match(only.forecasts[0].noVerification!, /A1B_north_america\.nc is not among the served paths/);
  const r = await get(alone, '/api/verify/0/fc.nc?var=t2m&start=0&lead=1');
  assert.equal(r.status, 404);
  assert.match(((await r.json()) as { error: { message: string } }).error.message, /not among the served paths/);
});

test('verification and spread maps equal netCDF4-python + cftime + numpy', async () => {
  const py = spawnSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np, netCDF4, cftime
f = netCDF4.Dataset(sys.argv[1]); d = netCDF4.Dataset(sys.argv[2])
i, k = 1, 2
init = cftime.num2date(f['time'][i], f['time'].units, f['time'].calendar)
valid = cftime.num2date(f['time'][i] + f['lead_time'][k], f['time'].units, f['time'].calendar)
dt = cftime.num2date(d['time'][:], d['time'].units, getattr(d['time'], 'calendar', 'standard'))
n = [t.year == valid.year and t.month == valid.month and t.day == valid.day for t in dt].index(True)
ver = np.asarray(d['air_temperature'][n], dtype=np.float64)
sd = np.asarray(f['t2m'][i, :, k], dtype=np.float64).std(axis=0, ddof=1)
print(json.dumps({'valid': str(valid), 'ver': ver.ravel().tolist(), 'sd': sd.ravel().tolist(), 'shape': list(sd.shape)}))
`, join(base, 'models', 'fc.nc'), A1B], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const want = JSON.parse(py.stdout) as { valid: string; ver: number[]; sd: number[]; shape: number[] };
  const v = await get(server, '/api/verify/1/fc.nc?var=t2m&start=1&lead=2');
  assert.equal(v.status, 200);
  assert.equal(v.headers.get('x-nunatak-shape'), want.shape.join(','));
  assert.equal(v.headers.get('x-nunatak-valid')!.slice(0, 10), want.valid.slice(0, 10));
  const ver = await f32(v);
  const sd = await f32(await get(server, '/api/spread/1/fc.nc?var=t2m&start=1&lead=2'));
  let worstV = 0;
  let worstS = 0;
  want.ver.forEach((x, p) => (worstV = Math.max(worstV, Math.abs(ver[p] - x) / Math.abs(x))));
  want.sd.forEach((x, p) => (worstS = Math.max(worstS, Math.abs(sd[p] - x) / Math.max(Math.abs(x), 1e-3))));
  assert.ok(worstV <= 1e-6, `verification: worst relative difference ${worstV}`);
  assert.ok(worstS <= 1e-5, `spread: worst relative difference ${worstS}`);
  assert.ok(Math.max(...want.sd) > 0, 'members differ');
});

test('tables and JSON come back as the files hold them; bad requests are clear errors', async () => {
  const t = await json<TableBody>(server, '/api/table/0/timings.csv');
  assert.deepEqual(t.columns, ['module', 'function', 'calls', 'total_ms', 'ms_per_call']);
  const lines = readFileSync(join(sim, 'timings.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(t.values[0], lines.map((l) => l[0]));
  assert.deepEqual(t.values[3], lines.map((l) => Number(l[3])));
  const h = await json<TableBody>(server, '/api/table/3/test_2000_2001/streamflow.csv');
  assert.equal(h.values[2].filter((v) => v === null).length, 4, 'missing observations are null (days 5, 22, 39, 56)');
  const m = await json<Record<string, { nse: number }>>(server, '/api/json/3/test_2000_2001/metrics.json');
  assert.deepEqual(m, JSON.parse(readFileSync(join(base, 'hybrid', 'test_2000_2001', 'metrics.json'), 'utf8')));
  const png = await get(server, '/api/image/4/caseA/predict-caseA_0000.png');
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const cases: Array<[string, number, RegExp]> = [
    ['/api/image/4/train-history.csv', 400, /only \.png images/],
    ['/api/table/1/fc.nc', 400, /tables are \.csv or \.txt/],
    ['/api/json/0/timings.csv', 400, /not a \.json file/],
    ['/api/table/0/../../etc/passwd', 403, /forbidden/],
    ['/api/image/4/%2e%2e/x.png', 403, /forbidden/],
    ['/api/verify/1/fc.nc?var=t2m&start=9&lead=0', 400, /start 9 \/ lead 0 outside the forecast \(2 initial times, 4 leads\)/],
    ['/api/spread/1/fc.nc?var=nope&start=0&lead=0', 404, /no forecast channel 'nope'/],
    ['/api/spread/1/fc.nc?var=t2m&lead=0', 400, /query 'start' must be an integer/],
  ];
  for (const [p, status, re] of cases) {
    const r = await rawGet(server, p);
    assert.equal(r.status, status, `${p}: ${r.status} ${r.body}`);
    assert.match(JSON.parse(r.body).error.message, re, p);
  }
});
