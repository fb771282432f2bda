/**
 * write_ncdf / write_ts read back with the independent netCDF4-python
 * (/usr/bin/python3): thk of the last record equals the state's to float32
 * (exact), output_ts vol equals Σ thk·dx²/1e9 computed by NumPy from
 * output.nc (1e-9 relative), `ncdump -h` opens both. A restart from
 * output.nc@20 reproduces the continuous run at t = 40 (1e-3 m). An input
 * NetCDF without topg/usurf is refused naming the file and its variables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { restartOverrides, runExperiment } from '../../src/sim/run.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const py = (code: string, ...args: string[]) => {
  const r = spawnSync('/usr/bin/python3', ['-c', code, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

const grab = 'export function initialize() {}\nexport function run(_c: any, s: any) { if (s.saveresult) (globalThis as any).__thk = s.get("thk").data.slice(); }\n';
const exp = (extra = '') => ({
  'experiment.yaml': valleyYaml({ outputs: ['write_ncdf', 'write_ts', 'grab'], procs: `  smb_simple: {ela: 2900, update_freq: 0}\n${extra}` }),
  'user/code/outputs/grab.ts': grab,
});

test('output.nc and output_ts.nc read back with netCDF4-python and ncdump', async () => {
  const root = makeExperiment(exp());
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  for (const f of ['output.nc', 'output_ts.nc']) {
    const r = spawnSync('ncdump', ['-h', join(out, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const res = JSON.parse(py(`
import json, sys, numpy as np, netCDF4
a = netCDF4.Dataset(sys.argv[1] + '/output.nc'); b = netCDF4.Dataset(sys.argv[1] + '/output_ts.nc')
thk = a['thk'][:].filled(np.nan).astype(np.float64)
dx = float(a['x'][1] - a['x'][0])
print(json.dumps(dict(time=a['time'][:].tolist(), units=a['thk'].units, last=thk[-1].ravel().tolist(),
  vol_np=(thk.sum(axis=(1, 2)) * dx * dx / 1e9).tolist(), vol=b['vol'][:].tolist(), area=b['area'][:].tolist(), crs='crs' in a.variables)))
`, out));
  assert.deepEqual(res.time, [0, 20, 40]);
  assert.equal(res.units, 'm');
  const thk = (globalThis as any).__thk as Float32Array;
  assert.deepEqual(res.last, Array.from(thk));
  res.vol.forEach((v: number, k: number) => assert.ok(Math.abs(v - res.vol_np[k]) <= 1e-9 * Math.max(1e-12, res.vol_np[k]), `vol ${v} vs ${res.vol_np[k]}`));
  assert.ok(res.vol[2] > 0 && res.area[2] > 0);
});

test('restart from output.nc@20 reproduces the continuous run at t = 40', async () => {
  const root = makeExperiment(exp());
  await runExperiment({ experiment: root, outDir: join(root, 'a') });
  const full = (globalThis as any).__thk as Float32Array;
  await runExperiment({ experiment: root, outDir: join(root, 'b'), overrides: restartOverrides(`${join(root, 'a', 'output.nc')}@20`) });
  const again = (globalThis as any).__thk as Float32Array;
  let d = 0;
  for (let k = 0; k < full.length; k++) d = Math.max(d, Math.abs(full[k] - again[k]));
  assert.ok(d <= 1e-3, `max |Δthk| = ${d} m`);
  assert.ok(full.some((v) => v > 10));
});

test('a NetCDF input without topg or usurf names the file and what it has', async () => {
  const root = makeExperiment({ 'experiment.yaml': 'defaults:\n  - override /inputs: [local]\n  - override /processes: [time]\ninputs:\n  local: {filename: bad.nc}\nsim: {progress: false}\n' });
  py(`
import sys, numpy as np, netCDF4
d = netCDF4.Dataset(sys.argv[1], 'w'); d.createDimension('y', 4); d.createDimension('x', 5)
d.createVariable('x', 'f8', ('x',))[:] = np.arange(5) * 100.; d.createVariable('y', 'f8', ('y',))[:] = np.arange(4) * 100.
d.createVariable('elevation', 'f4', ('y', 'x'))[:] = 1.; d.close()
`, join(root, 'bad.nc'));
  await assert.rejects(runExperiment({ experiment: root, outDir: join(root, 'o') }), /bad\.nc has neither 'topg' nor 'usurf'[\s\S]*/);
  try {
    await runExperiment({ experiment: root, outDir: join(root, 'o') });
  } catch (e) {
    assert.match((e as { hint: string }).hint, /variables in the file: .*elevation/);
  }
});
