// examples/hintereisferner, the whole chain on a coarse grid (200 m, 1953–1957):
// optimize inverts the thickness under the RGI outline from the SRTM surface and
// the reference SMB, spinup (shortened here to 1943–1952, offset up to 1948)
// grows the 1953 state, then clim + smb_ti + SIA run the hindcast on the
// inverted bed. Checks: the run's 1953 length is the spin-up's; mass_balance.csv
// header and years with the WGMS values; the
// inverted thickness is > 0 on the outline and 0 outside, bed = surface − thk;
// the modelled balance of a year equals the TypeScript temperature-index twin
// recomputed from that year's saved surface (an independent path from the
// AssemblyScript kernel the run uses); bad input stops with a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.ts';
import { openDataset } from '../../src/io/index.ts';
import { readMonthlyClimate, climateOf } from '../../src/sim/climate/monthly-climate.ts';
import { readWgmsAnnual } from '../../src/sim/climate/wgms.ts';
import { smbTi, TI_DEFAULTS, tiScale } from '../../src/sim/physics/smb-ti.ts';
import { pathDistance } from '../../src/sim/modules/outputs/length_area.ts';
import { apparentMb } from '../../src/sim/modules/processes/optimize.ts';

const HEF = 'examples/hintereisferner';
const DATA = 'data/hintereisferner/';
const tmp = () => mkdtempSync(join(tmpdir(), 'nk-hefchain-'));
const COARSE = ['inputs.local.dx=200', 'inputs.local.margin=400', 'processes.time.end=1958', 'outputs=[write_ncdf,mass_balance,length_area]', 'outputs.mass_balance.years=[1954,1957]', 'processes.optimize.nbitmax=150', 'processes.spinup.start=1943', 'processes.spinup.bias_end=1948', 'sim.progress=false'];

test('hintereisferner chain: inversion, then the hindcast; mass_balance.csv and lengths; modelled = independent TI twin', async () => {
  const out = tmp();
  await runExperiment({ experiment: HEF, outDir: out, overrides: COARSE });
  // mass_balance.csv: every balance year asked for, observed = WGMS
  const rows = readFileSync(join(out, 'mass_balance.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'year,modelled,observed');
  const years = rows.slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(years, [1954, 1955, 1956, 1957]);
  const wgms = readWgmsAnnual(DATA + 'mbdata_WGMS-00491.csv');
  const modelled = new Map<number, number>();
  for (const l of rows.slice(1)) {
    const [y, m, o] = l.split(',').map(Number);
    assert.ok(Number.isFinite(m), l);
    assert.equal(o, wgms.get(y));
    modelled.set(y, m);
  }
  // the inversion: thk > 0 on the outline, 0 outside; topg = usurf - thk
  const inv = await openDataset(join(out, 'optimize.nc'));
  const thk = inv.read('thk', undefined, 'float64').data as Float64Array;
  const topg = inv.read('topg', undefined, 'float64').data as Float64Array;
  const usurf = inv.read('usurf', undefined, 'float64').data as Float64Array;
  const mask = inv.read('icemask', undefined, 'float64').data as Float64Array;
  inv.close();
  let inside = 0;
  let vol = 0;
  for (let k = 0; k < thk.length; k++) {
    if (mask[k] > 0.5) {
      inside++;
      vol += thk[k];
      assert.ok(thk[k] > 0, `thk ${thk[k]} at mask cell ${k}`);
    } else assert.equal(thk[k], 0, `thk outside the mask at ${k}`);
    assert.ok(Math.abs(topg[k] - (usurf[k] - thk[k])) < 1e-3, `topg at ${k}`);
  }
  assert.ok(inside > 150, `${inside} mask cells`);
  const mean = vol / inside;
  assert.ok(mean > 10 && mean < 200, `mean inverted thickness ${mean} m`);

  // balance year 1957 recomputed from the record saved at t = 1957 (the state smb_ti saw)
  const ds = await openDataset(join(out, 'output.nc'));
  const times = Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
  const rec = times.indexOf(1957);
  assert.ok(rec > 0, `times ${times}`);
  const n = thk.length;
  const slab = (v: string) => (ds.read(v, undefined, 'float64').data as Float64Array).subarray(rec * n, (rec + 1) * n);
  const z = Float32Array.from(slab('usurf'));
  const h = Float32Array.from(slab('thk'));
  ds.close();
  const c = await readMonthlyClimate({ file: DATA + 'histalp_merged_hef.nc', lon: 10.7584, lat: 46.8003 });
  const b = climateOf(c, 1957, 10);
  const smb = new Float32Array(n);
  smbTi(z, { temp: b.temp, prcp: b.prcp, refHgt: c.refHgt }, { ...TI_DEFAULTS, tempBias: 1.4929, prcpFac: 2.0861, meltF: 3.1621 }, smb, h, Float32Array.from(mask), tiScale(12));
  let s = 0;
  let cells = 0;
  for (let k = 0; k < n; k++) {
    if (h[k] > 0 && mask[k] > 0.5) {
      s += smb[k];
      cells++;
    }
  }
  const want = (s / cells) * 910;
  // CSV rounds to 0.1 mm; the f32 kernel vs f32 twin differ by far less than that
  assert.ok(Math.abs((modelled.get(1957) as number) - want) < 0.2, `1957: run ${modelled.get(1957)} vs twin ${want} mm w.e.`);

  // length_area.csv: observed changes from hef_lengths.csv, relative to 1953
  const la = readFileSync(join(out, 'length_area.csv'), 'utf8').trim().split('\n');
  assert.equal(la[0], 'year,area_km2,length_m,dl_modelled,dl_observed');
  assert.equal(la[1].split(',')[0], '1953');
  assert.equal(la[1].split(',')[3], '0');
  assert.equal(Number(la.find((l) => l.startsWith('1957,'))?.split(',')[4]), readLen(1957) - readLen(1953));
  // the run starts from the spin-up's state: its 1953 length is the one the chosen dT gave
  const sp = readFileSync(join(out, 'spinup.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.equal(Number(la[1].split(',')[2]), (sp.find((r) => r[3] === 1) as number[])[1]);
});

function readLen(y: number): number {
  const m = new Map(readFileSync(DATA + 'hef_lengths.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number) as [number, number]));
  return m.get(y) as number;
}

test('hintereisferner chain: climate years the file lacks, or mass_balance years outside the run, are clear errors', async () => {
  await assert.rejects(
    runExperiment({ experiment: HEF, outDir: join(tmp(), 'a'), overrides: [...COARSE, 'processes.time.end=2010'] }),
    (e: Error) => /covers balance years 1802–2003/.test(e.message) && /years 2004–2009 are missing/.test(e.message),
  );
  await assert.rejects(
    runExperiment({ experiment: HEF, outDir: join(tmp(), 'b'), overrides: [...COARSE, 'processes.smb_ti.ref_years=[1700,1720]'] }),
    (e: Error) => /does not cover balance year 1700/.test(e.message),
  );
  await assert.rejects(
    runExperiment({ experiment: HEF, outDir: join(tmp(), 'c'), overrides: [...COARSE, 'outputs.mass_balance.years=[1954,1970]'] }),
    (e: Error) => /outputs\.mass_balance\.years = \[1954, 1970\].*1953–1957/.test(e.message),
  );
});

test('length_area: path distances inside an L-shaped outline equal the hand-computed ones', () => {
  // 6 × 4 cells of 100 m × 50 m: a row of 5 cells along x, then 3 cells up in y from its end
  const nx = 6;
  const ice = new Uint8Array(nx * 4);
  for (let i = 0; i < 5; i++) ice[i] = 1;
  for (let j = 1; j < 4; j++) ice[j * nx + 4] = 1;
  // from (0,0): 3 steps along x (300 m), one diagonal to (4,1) (√(100²+50²)), 2 steps in y (100 m)
  const d = pathDistance(ice, nx, 4, 100, 50, 0);
  assert.ok(Math.abs(d[3 * nx + 4] - (300 + Math.hypot(100, 50) + 100)) < 1e-9);
  assert.equal(d[4], 400);
  assert.equal(d[nx], Infinity, 'outside the outline');
  assert.ok(pathDistance(ice, nx, 4, 100, 50, 5).every((v) => v === Infinity), 'head outside');
});

test('optimize.apparent_mb: smb − dhdt shifted to a zero mean over the mask, cells outside shifted alike', () => {
  const smb = Float32Array.from([-3, -1, 1, 2, 5]);
  const mask = Float32Array.from([1, 1, 1, 1, 0]);
  const dhdt = Float32Array.from([-1, 0, 0, 0, 0]);
  const a = apparentMb(smb, mask, dhdt);
  // mean over the mask of smb − dhdt = (−2 − 1 + 1 + 2)/4 = 0 → no shift; without dhdt the mean is −0.25
  assert.deepEqual(Array.from(a), [-3, -1, 1, 2, 5]);
  assert.deepEqual(Array.from(apparentMb(smb, mask)), [-2.75, -0.75, 1.25, 2.25, 5.25]);
});
