// nunatak as a user gets it: `npm pack` once, then the README's install
// command into an empty folder and globally (`--prefix` a temp folder), and
// every face run with the installed `nunatak` from a SECOND temp folder that
// has no package.json and no node_modules: a sim experiment with a user module
// and an override of a built-in, a model package with a .ts entrypoint, a UDF
// file, a UDF defined in the running script (inline, threads, distributed with
// a real redis-server), a hybrid model with the user's own process model and
// loss, `nunatak check`, a user's tsc against the installed
// .d.ts, and the errors a broken user module gives. Each check reads the
// results (NetCDF/.npy through python3 netCDF4/numpy, independent of nunatak).
// The checkout is never touched: the package is packed from a copy of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startRedis, stopProcess, type RedisServer } from '../helpers/redis-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const T = mkdtempSync(join(tmpdir(), 'nunatak-e2e-'));
const PROJECT = join(T, 'project'); // `npm install <tgz>` here (a user's project)
const PREFIX = join(T, 'global'); // `npm install -g --prefix` here
const WORK = join(T, 'work'); // the user's folder: no package.json, no node_modules
const PKG = join(PREFIX, 'lib', 'node_modules', 'nunatak');
const NUNATAK = join(PREFIX, 'bin', 'nunatak');
// The install command README.md gives (onnxruntime-node would otherwise fetch CUDA libraries from api.nuget.org).
const INSTALL_ENV = { ONNXRUNTIME_NODE_INSTALL: 'skip' };
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

let redis: RedisServer | undefined;
const workers: ChildProcess[] = [];

/** The environment of a user's shell: no npm_* variables of the `npm test` that runs us, the global bin on PATH. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, PATH: `${join(PREFIX, 'bin')}:${process.env.PATH ?? ''}`, NUNATAK_QUIET: '1', ...extra };
}

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** Runs a command (killed after `ms`), collecting stdout and stderr. */
function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; ms?: number }): Promise<Ran> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.ms ?? 120_000);
    p.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, out, err });
    });
  });
}

/** The installed `nunatak`, run from the user's folder. */
const nunatak = (args: string[], cwd = WORK, ms?: number) => sh(NUNATAK, args, { cwd, ms });

/** python3 with numpy/netCDF4 (the independent reader); prints JSON. */
function py(code: string): unknown {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', cwd: WORK });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function write(rel: string, text: string): string {
  const f = join(WORK, rel);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, text);
  return f;
}

/** `npm pack` from a copy of the checkout (prepack builds dist/ and the shrinkwrap there, not here). */
async function pack(): Promise<string> {
  const copy = join(T, 'src-copy');
  mkdirSync(copy);
  for (const e of ['bin', 'src', 'scripts', 'build', 'assets', 'examples', 'data', 'docs', 'README.md', 'BENCHMARKS.md', 'LICENSE', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.npmrc']) {
    if (existsSync(join(ROOT, e))) cpSync(join(ROOT, e), join(copy, e), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));
  const r = await sh('npm', ['pack', '--pack-destination', T, ...NPM_FLAGS], { cwd: copy, ms: 240_000 });
  assert.equal(r.code, 0, r.out + r.err);
  const tgz = readdirSync(T).find((f) => /^nunatak-\d+\.\d+\.\d+\.tgz$/.test(f));
  assert.ok(tgz, `npm pack wrote no tarball: ${r.out}`);
  return join(T, tgz);
}

before(async () => {
  const tgz = await pack();
  mkdirSync(PROJECT);
  mkdirSync(PREFIX);
  mkdirSync(WORK);
  const [local, global] = await Promise.all([
    sh('npm', ['install', ...NPM_FLAGS, tgz], { cwd: PROJECT, env: userEnv(INSTALL_ENV), ms: 300_000 }),
    sh('npm', ['install', '-g', '--prefix', PREFIX, ...NPM_FLAGS, tgz], { cwd: T, env: userEnv(INSTALL_ENV), ms: 300_000 }),
  ]);
  assert.equal(local.code, 0, `npm install ${tgz}: ${local.err}`);
  assert.equal(global.code, 0, `npm install -g ${tgz}: ${global.err}`);
});

after(async () => {
  for (const w of workers) await stopProcess(w, 'SIGKILL');
  await redis?.stop();
  // Two installed node_modules trees take minutes to delete on a busy 2-core machine: not the test's time.
  spawn('rm', ['-rf', T], { detached: true, stdio: 'ignore' }).unref();
});

test('the installed package: dist JavaScript, no TypeScript sources; both bins run; the user folder has no package.json', async () => {
  for (const dir of [PKG, join(PROJECT, 'node_modules', 'nunatak')]) {
    assert.ok(existsSync(join(dir, 'dist', 'cli', 'main.js')), dir);
    assert.ok(existsSync(join(dir, 'dist', 'sim', 'index.d.ts')), dir);
    assert.ok(!existsSync(join(dir, 'src')), `${dir} ships no src/`);
  }
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  assert.equal((await nunatak(['--version'])).out.trim(), version);
  assert.equal((await sh(join(PROJECT, 'node_modules', '.bin', 'nunatak'), ['--version'], { cwd: WORK })).out.trim(), version);
  assert.ok(!existsSync(join(WORK, 'package.json')) && !existsSync(join(WORK, 'node_modules')));
});

// ---- sim: the user-module example plus an override of the built-in write_ts -------------------------------

const SMB = { meanela: 2600, amplitude: 150, period: 200, gradabl: 0.005, gradacc: 0.009, accmax: 2 };

/** A copy of the installed examples/user-module, with write_ts replaced by the user's own. */
function simExperiment(name: string): string {
  const dir = join(WORK, name);
  cpSync(join(PKG, 'examples', 'user-module'), dir, { recursive: true });
  writeFileSync(join(dir, 'experiment.yaml'), readFileSync(join(dir, 'experiment.yaml'), 'utf8').replace(/mysmb: \{[^}]*\}/, `mysmb: ${JSON.stringify(SMB)}`).replace('end: 400', 'end: 60'));
  mkdirSync(join(dir, 'user', 'code', 'outputs'), { recursive: true });
  writeFileSync(join(dir, 'user', 'code', 'outputs', 'write_ts.ts'), `// Replaces the built-in write_ts: ice volume (km3) at every save, as CSV.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimConfig, SimState } from 'nunatak/sim';

export const fields = { reads: ['thk'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  writeFileSync(join(state.outDir, 'volume.csv'), 't,vol_km3\\n');
}

export function run(_cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  let sum = 0;
  for (const h of state.get('thk').data) sum += h;
  const vol = (sum * Math.abs(state.grid.dx * state.grid.dy)) / 1e9;
  appendFileSync(join(state.outDir, 'volume.csv'), \`\${state.t},\${vol}\\n\`);
}
`);
  return dir;
}

test('sim: a user module (mysmb) and a user override of the built-in write_ts, run by the installed nunatak', { timeout: 180_000 }, async () => {
  const exp = simExperiment('exp');
  const out = join(WORK, 'out-sim');
  const r = await nunatak(['run', 'exp', '--out', out]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.ok(!existsSync(join(out, 'output_ts.nc')), 'the built-in write_ts did not run');
  const csv = readFileSync(join(out, 'volume.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.deepEqual(csv.map((c) => c[0]), [0, 20, 40, 60]);
  // The user's volumes equal Σ thk · dx·dy of output.nc at the same times (rel 1e-6), and the
  // first record's smb is mysmb's formula at t = 0 (ELA = meanela) on that usurf (abs 1e-4 m/a).
  const ref = py(`
import json, numpy as np, netCDF4 as nc
d = nc.Dataset('${out}/output.nc'); x = d['x'][:]; y = d['y'][:]
thk = d['thk'][:].astype('f8'); us = d['usurf'][0].astype('f8'); smb = d['smb'][0].astype('f8')
v = (thk.sum(axis=(1, 2)) * abs((x[1] - x[0]) * (y[1] - y[0])) / 1e9).tolist()
dz = us - ${SMB.meanela}
f = np.clip(dz * np.where(dz < 0, ${SMB.gradabl}, ${SMB.gradacc}), -100, ${SMB.accmax})
print(json.dumps({'t': d['time'][:].tolist(), 'vol': v, 'smb_err': float(abs(smb - f).max()), 'smb_range': [float(smb.min()), float(smb.max())]}))
`) as { t: number[]; vol: number[]; smb_err: number; smb_range: [number, number] };
  assert.deepEqual(ref.t, [0, 20, 40, 60]);
  assert.ok(ref.vol[3] > 0.01, `the glacier grows: ${ref.vol}`);
  csv.forEach((c, i) => assert.ok(Math.abs(c[1]! - ref.vol[i]!) <= 1e-6 * Math.max(ref.vol[i]!, 1e-9), `t=${c[0]}: ${c[1]} vs ${ref.vol[i]}`));
  assert.ok(ref.smb_err < 1e-4, `smb vs formula: max |err| ${ref.smb_err}`);
  assert.ok(ref.smb_range[0] < -1 && ref.smb_range[1] === SMB.accmax, `smb spans ablation and capped accumulation: ${ref.smb_range}`);
  void exp;
});

test('nunatak check: a clean experiment passes; a type error is reported at file:line', { timeout: 120_000 }, async () => {
  simExperiment('exp-check');
  simExperiment('exp-check-bad');
  const f = join(WORK, 'exp-check-bad', 'user', 'code', 'processes', 'mysmb.ts');
  const lines = readFileSync(f, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('const ela ='));
  lines.splice(at + 1, 0, "  const wrong: number = 'two thousand';");
  writeFileSync(f, lines.join('\n'));
  const [clean, bad] = await Promise.all([nunatak(['check', 'exp-check']), nunatak(['check', f])]);
  assert.equal(clean.code, 0, clean.out + clean.err);
  assert.match(clean.out, /check: no problems in exp-check/);
  assert.equal(bad.code, 1, bad.out + bad.err);
  assert.match(bad.out, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${at + 2}:\\d+: Type 'string' is not assignable to type 'number'`));
});

// ---- a broken user module: `nunatak run` names the file, the line and the real cause, and offers `nunatak check`

const BROKEN: Record<string, { code: string; expect: RegExp }> = {
  syntax: { code: 'export function update() {\n  const x = ;\n}\n', expect: /mysmb\.ts:2:\d+: .*(Unexpected|expected)/i },
  'missing-export': { code: "export function initialize(): void {}\nexport function finalize(): void {}\n", expect: /processes module 'mysmb' \(.*mysmb\.ts\) is missing update\(cfg, state\)/ },
  'import-not-found': { code: "import { k } from './constants.js';\nexport const initialize = () => {};\nexport const update = () => k;\nexport const finalize = () => {};\n", expect: /mysmb\.ts:1:\d+: Could not resolve "\.\/constants\.js"/ },
  throws: { code: "export function initialize(): void {}\nexport function update(): void {\n  throw new Error('ELA table empty');\n}\nexport function finalize(): void {}\n", expect: /processes module 'mysmb' failed in update at t = 0 a .*ELA table empty[\s\S]*mysmb\.ts:3:\d+/ },
};

test('a broken user module: syntax error, missing export, import not found, a throw — file, line, cause and `nunatak check` in the hint', { timeout: 180_000 }, async () => {
  await Promise.all(Object.entries(BROKEN).map(async ([name, b]) => {
    const exp = simExperiment(`exp-${name}`);
    const f = join(exp, 'user', 'code', 'processes', 'mysmb.ts');
    writeFileSync(f, b.code);
    const r = await nunatak(['run', `exp-${name}`, '--out', join(WORK, `out-${name}`)]);
    assert.equal(r.code, 2, `${name}: ${r.out}${r.err}`);
    assert.match(r.err, b.expect, name);
    assert.match(r.err, new RegExp(`nunatak check ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), `${name}: the hint offers nunatak check: ${r.err}`);
    assert.doesNotMatch(r.err, /ERR_|require\(\)|Cannot find package|\n\s+at /, `${name}: no module-system message or stack trace`);
  }));
});

// ---- models: a package with a .ts entrypoint -------------------------------------------------------------

test('models run: a package whose .ts entrypoint adds 0.25 K a step; every lead checked against the input field', { timeout: 120_000 }, async () => {
  cpSync(join(PKG, 'data', 'models', 'A1B_north_america.nc'), join(WORK, 'a1b.nc'));
  write('warming/metadata.json', JSON.stringify({
    description: 'persistence plus 0.25 K per step',
    architecture_entrypoint: './warming.ts#load',
    grid: { lat: { start: 15, step: 1.25, n: 37 }, lon: { start: 225, step: 1.875, n: 49 } },
    in_channels: ['t2m'],
    out_channels: ['t2m'],
    time_step: 'P1Y',
  }));
  write('warming/warming.ts', `import type { ModelPackage, StepModel } from 'nunatak/models';

export function load(_pkg: ModelPackage): StepModel {
  return {
    step(x) {
      const [B, T, C, Y, X] = x.shape;
      const level = C * Y * X;
      const y = new Float32Array(B * level);
      for (let b = 0; b < B; b++) {
        const last = x.data.subarray((b * T + T - 1) * level, (b * T + T) * level);
        for (let i = 0; i < level; i++) y[b * level + i] = last[i]! + 0.25;
      }
      return y;
    },
  };
}
`);
  write('warming-run.yaml', 'model: ./warming\ndata: {file: ./a1b.nc, lexicon: {t2m: air_temperature}}\nstart_times: ["2041-06-01"]\nsteps: 3\noutput: {path: ./out-models/warming.nc}\n');
  const r = await nunatak(['models', 'run', 'warming-run.yaml']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /1 initial time\(s\) × 1 member\(s\) × 4 lead\(s\)/);
  const got = py(`
import json, numpy as np, netCDF4 as nc
src = nc.Dataset('a1b.nc')['air_temperature'][:].astype('f8'); x0 = src[2041 - 1860]
f = nc.Dataset('out-models/warming.nc')['t2m'][:].astype('f8')
print(json.dumps({'shape': list(f.shape), 'err': [float(abs(f[0, 0, k] - (x0 + 0.25 * k)).max()) for k in range(f.shape[2])]}))
`) as { shape: number[]; err: number[] };
  assert.deepEqual(got.shape, [1, 1, 4, 37, 49]);
  for (const [k, e] of got.err.entries()) assert.ok(e < 1e-4, `lead ${k}: max |t2m − (x0 + 0.25 k)| = ${e} K`);
});

// ---- udf: a UDF file, and a UDF defined in the running script --------------------------------------------

// Frame i of the 6 × 5 scan holds 16 values (i·16 … i·16+15)/10.
const SCAN = "np.arange(6 * 5 * 16, dtype='float32').reshape(6, 5, 4, 4) / 10";

test('udf run: a user UDF file (sum of squares per frame) on threads; result .npy equals NumPy (rel 1e-6)', { timeout: 120_000 }, async () => {
  py(`import json, numpy as np\nnp.save('scan.npy', ${SCAN})\nprint('{}')`);
  write('sumsq.ts', `import { UDF } from 'nunatak/udf';

export class SumSq extends UDF {
  getResultBuffers() {
    return { sumsq: this.buffer({ kind: 'nav', dtype: 'float64' }) };
  }
  processFrame(frame: Float32Array): void {
    let s = 0;
    for (const v of frame) s += v * v;
    this.results.sumsq[0] = s;
  }
}
`);
  const r = await nunatak(['udf', 'run', './sumsq.ts#SumSq', '-d', 'scan.npy', '-e', 'threads', '-w', '2', '--no-progress', '-o', 'out-udf']);
  assert.equal(r.code, 0, r.out + r.err);
  const npy = readdirSync(join(WORK, 'out-udf')).find((f) => f.endsWith('sumsq.npy'));
  assert.ok(npy, `no *sumsq.npy in ${readdirSync(join(WORK, 'out-udf'))}`);
  const err = py(`
import json, numpy as np
x = (${SCAN}).astype('f8'); ref = (x ** 2).sum(axis=(2, 3)); got = np.load('out-udf/${npy}')
assert got.shape == ref.shape, (got.shape, ref.shape)
print(json.dumps(float((abs(got - ref) / ref.max()).max())))
`) as number;
  assert.ok(err < 1e-6, `rel err ${err}`);
});

// A LiberTEM-style script: the UDF and the run in one file, its main part guarded by isMain.
const ROWSUM = (from: string) => `import { Context, MemoryDataset, UDF, udfEntry, isMain } from '${from}';

export class RowSum extends UDF {
  static entry = udfEntry(import.meta.url, 'RowSum');
  getResultBuffers() {
    return { s: this.buffer({ kind: 'nav', dtype: 'float64' }) };
  }
  processFrame(f) {
    let a = 0;
    for (const v of f) a += v;
    this.results.s[0] = a;
  }
}

if (isMain(import.meta.url)) {
  const kind = process.argv[2];
  const ds = new MemoryDataset({ data: Float32Array.from({ length: 8 * 16 }, (_, i) => i), navShape: [8], sigShape: [4, 4] });
  const ctx = await Context.make({ kind, workers: 2, redis: process.argv[3], workerWaitMs: 20000 });
  try {
    const r = await ctx.runUdf(ds, new RowSum(), { numPartitions: 4 });
    console.log('RESULT', Array.from(r.get('s').data).join(','));
  } finally {
    await ctx.close();
  }
}
`;
// Frame i holds 16i … 16i+15, so its sum is 256 i + 120.
const ROWSUM_EXPECTED = `RESULT ${Array.from({ length: 8 }, (_, i) => 256 * i + 120).join(',')}`;

/** A `nunatak worker` of the installed package, started in the user's folder; resolves once listening. */
async function startInstalledWorker(url: string): Promise<ChildProcess> {
  const p = spawn(NUNATAK, ['worker', '--redis', url, '--queue', 'nunatak-tasks'], { cwd: WORK, env: userEnv({ NUNATAK_QUIET: '' }), stdio: ['ignore', 'ignore', 'pipe'] });
  workers.push(p);
  await new Promise<void>((res, rej) => {
    let err = '';
    p.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('listening on')) res();
    });
    p.once('exit', (c) => rej(new Error(`worker exited (${c}): ${err}`)));
  });
  return p;
}

test('a UDF defined in the running script (.mts, no package.json): `nunatak script` runs it inline, on threads and distributed', { timeout: 180_000 }, async () => {
  write('rowsum.mts', ROWSUM('nunatak/udf').replace('processFrame(f)', 'processFrame(f: Float32Array)').replace("process.argv[2];", "process.argv[2] as 'inline';").replace('workerWaitMs: 20000 }', 'workerWaitMs: 20000 } as never'));
  redis = await startRedis(await freePort());
  await Promise.all([startInstalledWorker(redis.url), startInstalledWorker(redis.url)]);
  for (const kind of ['inline', 'threads', 'distributed']) {
    const r = await nunatak(['script', 'rowsum.mts', kind, redis.url], WORK, 60_000);
    assert.equal(r.code, 0, `${kind}: ${r.out}${r.err}`);
    assert.equal(r.out.trim(), ROWSUM_EXPECTED, kind);
  }
});

test('the same script as plain JavaScript, run by `node` in the project that installed nunatak (library import of nunatak/udf)', { timeout: 120_000 }, async () => {
  writeFileSync(join(PROJECT, 'rowsum.mjs'), ROWSUM('nunatak/udf'));
  for (const kind of ['inline', 'threads']) {
    const r = await sh(process.execPath, ['rowsum.mjs', kind], { cwd: PROJECT, ms: 60_000 });
    assert.equal(r.code, 0, `${kind}: ${r.out}${r.err}`);
    assert.equal(r.out.trim(), ROWSUM_EXPECTED, kind);
  }
});

// ---- hybrid: the user's own process model and loss, named by file in the config -----------------------

test('hybrid train: a user linear-reservoir process model (.ts) and loss (.mjs) from the user folder, recorded in the checkpoint', { timeout: 120_000 }, async () => {
  write('hybrid/linres.ts', `import { tf } from 'nunatak/core';
import type { Forcing, ProcessModel } from 'nunatak/hybrid';
export default class LinearReservoir implements ProcessModel<Float32Array> {
  readonly name = 'linres'; readonly paramNames = ['k']; readonly dynamic: string[] = [];
  readonly bounds = { k: { lo: 0.01, hi: 0.9, unit: 'd-1' } };
  run(f: Forcing, params: tf.Tensor3D): tf.Tensor2D {
    const k = tf.mean(params, [1, 2]);
    let S: tf.Tensor = tf.zeros([f.nb]);
    const Q = tf.unstack(tf.tensor2d(f.P, [f.nt, f.nb])).map((p) => { S = tf.add(S, p); const q = tf.mul(k, S); S = tf.sub(S, q); return q; });
    return tf.stack(Q) as tf.Tensor2D;
  }
  spinUp(f: Forcing): Float32Array { return new Float32Array(f.nb); }
}
`);
  write('hybrid/loss.mjs', "import { tf } from 'nunatak/core';\nexport default (pred, obs, mask) => tf.div(tf.sum(tf.mul(tf.abs(tf.sub(pred, obs)), mask)), tf.sum(mask));\n");
  write('hybrid/config.yaml', [
    'save_path: run', 'backend: cpu', 'data: {source: synthetic, synthetic: {basins: 2, days: 60}}',
    'model: {rho: 20, warm_up: 0, phy: {model: ./linres.ts, nmul: 1, routing: false}, nn: {model: calibration}}',
    'train: {start: 2000-01-01, end: 2000-02-29, epochs: 1, batch_size: 2, iterations: 2, optimizer: adam, learning_rate: 0.05, loss: ./loss.mjs}', '',
  ].join('\n'));
  const r = await nunatak(['hybrid', 'train', 'config.yaml'], join(WORK, 'hybrid'));
  assert.equal(r.code, 0, r.out + r.err);
  const ck = JSON.parse(readFileSync(join(WORK, 'hybrid', 'run', 'model_ep1.json'), 'utf8')) as { components: { phy: string; loss: string } };
  assert.equal(realpathSync(ck.components.phy), realpathSync(join(WORK, 'hybrid', 'linres.ts')));
  assert.equal(realpathSync(ck.components.loss), realpathSync(join(WORK, 'hybrid', 'loss.mjs')));
});

// ---- a user's own TypeScript project against the installed .d.ts ---------------------------------------

test('tsc --noEmit in the user folder type-checks against the installed package (tsconfig paths, as docs/install.md says)', { timeout: 120_000 }, async () => {
  write('types/tsconfig.json', JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true,
      allowImportingTsExtensions: true, types: ['node'], typeRoots: [join(PKG, 'node_modules', '@types')],
      paths: { nunatak: [join(PKG, 'dist', 'index.d.ts')], 'nunatak/*': [join(PKG, 'dist', '*')] },
    },
    include: ['*.ts'],
  }, null, 2));
  write('types/good.ts', `import { params, type ProcessModule, type SimConfig, type SimState } from 'nunatak/sim';
import { UDF } from 'nunatak/udf';
import { readPackage } from 'nunatak/models';
import { NunatakError } from 'nunatak/core';
import { tf } from 'nunatak/core/tensor/index.ts';
import { DifferentiableModel } from 'nunatak/hybrid';
import { openDataset } from 'nunatak/io';

export const mod: ProcessModule = {
  initialize() {},
  update(cfg: SimConfig, state: SimState) {
    state.t += params<{ dt: number }>(cfg, 'processes', 'mine').dt;
  },
  finalize() {},
};
export class Mine extends UDF {
  getResultBuffers() {
    return { s: this.buffer({ kind: 'nav', dtype: 'float64' }) };
  }
}
export const used = [readPackage, NunatakError, tf.scalar(1), DifferentiableModel, openDataset, Buffer.from('node types')];
`);
  write('types/bad.ts', "import type { SimState } from 'nunatak/sim';\nexport const t = (s: SimState): string => s.t;\n");
  const r = await sh(process.execPath, [join(PKG, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'types'], { cwd: WORK });
  assert.equal(r.code, 2, r.out + r.err);
  assert.equal(r.out.trim(), "types/bad.ts(2,43): error TS2322: Type 'number' is not assignable to type 'string'.", 'only the real error; good.ts type-checks');
});
