/**
 * `nunatak view` on a 2048 × 2048 × 100 float32 NetCDF4 variable (1.68 GB of
 * values, chunked one time step per chunk as nunatak's writer does): the file
 * is written a time step at a time (16 MB in memory at once) into a temp dir,
 * then `nunatak view` runs in its own process and is browsed the way a user
 * does — headless Chromium opens the page, the time slider moves to the last
 * step, the pointer hovers a cell — plus direct slab requests at three time
 * steps. Checks: each served slice is 1024 × 1024 (stride 2) and its values
 * equal the formula the file was written from; the hover readout equals it
 * too; the server's peak resident memory (VmHWM of its process, which covers
 * everything it ever held) stays under 500 MB. The temp dir is deleted after.
 * Not a CI test: writing 1.7 GB takes minutes on the 2-core development machine.
 * Run: npx tsx bench/view-memory.ts [nt]    (nt time steps, default 100)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadAverage } from './load-average.js';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeGrid } from '../src/core/field/grid.js';
import { createNetcdf } from '../src/io/netcdf/writer.js';

const N = 2048;
const NT = Number(process.argv[2] ?? 100);
const LIMIT_MB = 500;
/** Value of cell (j, i) at time step t (float32-rounded when stored). */
const f = (t: number, j: number, i: number) => Math.fround(t * 10 + Math.sin(j / 97) * 50 + i / 64);

const kb = (pid: number, key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const mb = (k: number) => (k / 1024).toFixed(0);

const dir = mkdtempSync(join(tmpdir(), 'nk-view-big-'));
const file = join(dir, 'big.nc');
try {
  console.log(`load ${loadAverage()} (2-core machine; others may be running)`);
  let t0 = performance.now();
  const w = await createNetcdf(file, {
    grid: makeGrid({ nx: N, ny: N, x0: 600000, y0: 5100000, dx: 50, dy: 50, crs: 'EPSG:32632' }),
    time: { units: 'common_years since 2000-01-01 00:00:00', calendar: '365_day' },
    variables: [{ name: 'thk', units: 'm', longName: 'ice thickness' }],
  });
  const frame = new Float32Array(N * N);
  for (let t = 0; t < NT; t++) {
    for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) frame[j * N + i] = f(t, j, i);
    w.append(t, { thk: frame });
  }
  console.log(`wrote ${file}: ${NT} × ${N} × ${N} float32, ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const child = spawn(process.execPath, ['bin/nunatak.js', '--json', 'view', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      const m = /"url":"([^"]+)"/.exec(c.toString());
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`view exited ${code}`)));
  });
  const pid = child.pid!;
  console.log(`server up: RSS ${mb(kb(pid, 'VmRSS'))} MB`);
  try {
    const meta = (await (await fetch(`${url}api/meta/0`)).json()) as { vars: Array<{ name: string; shape: number[] }> };
    console.log(`meta: thk shape ${meta.vars.find((v) => v.name === 'thk')!.shape.join(' × ')}`);
    for (const t of [0, Math.floor(NT / 3), NT - 1]) {
      t0 = performance.now();
      const r = await fetch(`${url}api/slab/0?var=thk&at=${t},0,0`);
      const a = new Float32Array(await r.arrayBuffer());
      const ms = performance.now() - t0;
      const [sy, sx] = r.headers.get('x-nunatak-stride')!.split(',').map(Number);
      const [ny, nx] = r.headers.get('x-nunatak-shape')!.split(',').map(Number);
      let bad = 0;
      for (let j = 0; j < ny; j += 37) for (let i = 0; i < nx; i += 41) if (a[j * nx + i] !== f(t, j * sy, i * sx)) bad++;
      if (bad || ny !== 1024 || sy !== 2) throw new Error(`slab t=${t}: shape ${ny}×${nx} stride ${sy}, ${bad} wrong values`);
      console.log(`slab t=${t}: ${ny} × ${nx} (stride ${sy}) in ${ms.toFixed(0)} ms, values = formula; server RSS ${mb(kb(pid, 'VmRSS'))} MB`);
    }
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 1200 } });
      t0 = performance.now();
      await page.goto(url);
      await page.waitForFunction(() => (globalThis as any).__view?.draws > 0, undefined, { timeout: 120_000 });
      console.log(`page: first map drawn ${((performance.now() - t0) / 1000).toFixed(1)} s after goto`);
      const n = await page.evaluate(() => (globalThis as any).__view.draws as number);
      await page.fill('#slider-time', String(NT - 1));
      await page.waitForFunction((k) => (globalThis as any).__view.draws > k, n, { timeout: 120_000 });
      const box = (await page.locator('#map').boundingBox())!;
      const [jj, ii] = [700, 300]; // strided cell: grid row 1400, column 600
      // y grows northwards: slab row jj is drawn at 1023 − jj
      await page.mouse.move(box.x + ((ii + 0.5) / 1024) * box.width, box.y + ((1023 - jj + 0.5) / 1024) * box.height);
      const text = (await page.textContent('#readout'))!;
      const got = Number(/thk = (\S+) m/.exec(text)?.[1]);
      const want = f(NT - 1, 2 * jj, 2 * ii);
      if (!(Math.abs(got - want) <= 1e-6 * Math.abs(want)) || !text.includes(`y[${2 * jj}], x[${2 * ii}]`)) throw new Error(`hover '${text}' vs ${want}`);
      console.log(`hover at t=${NT - 1}: '${text.split('   ').slice(0, 2).join('  ')}' = formula ${want}`);
    } finally {
      await browser.close();
    }
    const peak = kb(pid, 'VmHWM');
    console.log(`server peak RSS (VmHWM) ${mb(peak)} MB, now ${mb(kb(pid, 'VmRSS'))} MB; limit ${LIMIT_MB} MB: ${peak / 1024 < LIMIT_MB ? 'OK' : 'EXCEEDED'}`);
    if (peak / 1024 >= LIMIT_MB) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
