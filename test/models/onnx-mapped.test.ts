/**
 * ONNX packages with several named inputs and outputs (Pangu-style: an
 * upper-air [variable, level, y, x] tensor and a surface [channel, y, x]
 * tensor) mapped through metadata.json's onnx_inputs / onnx_outputs.
 *
 * The graph is tiny and analytic: upper' = A[v, l]·upper + mean(surface),
 * surface' = surface + b[c]. Every output channel of every member and lead
 * is checked against that recurrence evaluated here in float64 from the
 * member's own lead-0 state (rel. 1e-5: the graph runs in float32). A wrong
 * mapping fails at load naming the metadata.json key and the graph's real
 * inputs, leaves no output file, and the fixed package reruns the same
 * config without --overwrite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../../src/core/onnx/index.js';
import { createNetcdf, openDataset } from '../../src/io/netcdf/index.js';
import { readPackage } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { loadRunConfig } from '../../src/models/run-config.js';
import { runModels } from '../../src/models/run.js';
import { NunatakError } from '../../src/core/errors.js';
import { npyBytes, tempDir, writePackage } from './helpers.js';

const LAT = [50, 45, 40];
const LON = [0, 10, 20, 30];
const NPIX = LAT.length * LON.length;
const VARS = ['z', 't'];
const LEVELS = [850, 500, 250];
const SURF = ['msl', 't2m'];
const UPPER = VARS.flatMap((v) => LEVELS.map((l) => `${v}${l}`));
/** Per (variable, level) factor and per surface-channel offset: distinct, so a mis-mapped channel shows. */
const A = UPPER.map((_, k) => 0.6 + 0.07 * k);
const B_OFF = [3.5, -1.25];

/**
 * upper' = A·upper + mean(surface), surface' = surface + b. `batch` adds a
 * leading symbolic batch axis to every tensor; `time` a history axis to the
 * inputs (the step then reads the newest level only, plus the mean of the
 * oldest level's surface).
 */
function graph(o: { batch?: boolean; history?: boolean; names?: [string, string, string, string]; upperLevels?: number } = {}): Uint8Array {
  const [inU, inS, outU, outS] = o.names ?? ['input', 'input_surface', 'output', 'output_surface'];
  const nl = o.upperLevels ?? LEVELS.length;
  const lead: Array<number | string> = [...(o.batch ? ['batch'] : []), ...(o.history ? [2] : [])];
  const g = new OnnxGraphBuilder('pangu-like');
  let u = g.input(inU, [...lead, VARS.length, nl, LAT.length, LON.length]);
  let s = g.input(inS, [...lead, SURF.length, LAT.length, LON.length]);
  const one = (n: number) => [...lead.map(() => 1), n];
  let sOld = s;
  if (o.history) {
    const ax = o.batch ? 1 : 0;
    const newest = (x: string) => g.node('Squeeze', [g.slice(x, [1], [2], [ax]), g.int64(`sq_${x}`, [ax])]);
    sOld = g.node('Squeeze', [g.slice(s, [0], [1], [ax]), g.int64('sq_old', [ax])]);
    u = newest(u);
    s = newest(s);
    lead.pop();
  }
  const a = g.weight('A', Float32Array.from(A.slice(0, VARS.length * nl)), [...one(VARS.length), nl, 1, 1]);
  // per member: mean over (channel, y, x), then one more unit axis so it broadcasts over (variable, level, y, x)
  let m = g.node('ReduceMean', [sOld], { keepdims: { i: 1 }, axes: o.batch ? [1, 2, 3] : [0, 1, 2] });
  if (o.batch) m = g.node('Unsqueeze', [m, g.int64('unsq', [1])]);
  g.output(g.add(g.node('Mul', [u, a]), m), outU, [...lead, VARS.length, nl, LAT.length, LON.length]);
  const b = g.weight('b', Float32Array.from(B_OFF), [...one(SURF.length), 1, 1]);
  g.output(g.add(s, b), outS, [...lead, SURF.length, LAT.length, LON.length]);
  return g.toBytes();
}

/** The float64 reference step on one member's state (channel → field). */
function refStep(x: Map<string, Float64Array>, meanFrom = x): Map<string, Float64Array> {
  let sum = 0;
  for (const c of SURF) for (const v of meanFrom.get(c)!) sum += v;
  const mean = sum / (SURF.length * NPIX);
  const next = new Map<string, Float64Array>();
  UPPER.forEach((c, k) => next.set(c, x.get(c)!.map((v) => A[k] * v + mean)));
  SURF.forEach((c, k) => next.set(c, x.get(c)!.map((v) => v + B_OFF[k])));
  return next;
}

/** State channels in a deliberately different order from the tensors'. */
const IN_CHANNELS = ['t2m', 'z500', 't850', 'msl', 'z850', 't250', 'z250', 't500'];

function pangu(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    onnx: 'model.onnx',
    grid: { lat: LAT, lon: LON },
    in_channels: IN_CHANNELS,
    time_step: 'PT6H',
    onnx_inputs: {
      input: { layout: ['variable', 'level', 'y', 'x'], variables: VARS, levels: LEVELS },
      input_surface: { layout: ['channel', 'y', 'x'], channels: SURF },
    },
    onnx_outputs: { output: { like: 'input' }, output_surface: { like: 'input_surface' } },
    ...extra,
  };
}

/** Initial field of a channel: smooth, distinct per channel. */
function field(c: string, hour: number): Float32Array {
  const k = IN_CHANNELS.indexOf(c);
  return Float32Array.from({ length: NPIX }, (_, p) => 10 * (k + 1) + Math.sin(p + k) * 5 + 0.1 * hour);
}

async function writeData(path: string): Promise<void> {
  const w = await createNetcdf(path, {
    time: { units: 'hours since 2000-01-01 00:00:00', calendar: 'standard' },
    dims: [
      { name: 'lat', size: LAT.length, values: LAT, attrs: { units: 'degrees_north', standard_name: 'latitude' } },
      { name: 'lon', size: LON.length, values: LON, attrs: { units: 'degrees_east', standard_name: 'longitude' } },
    ],
    variables: IN_CHANNELS.map((c) => ({ name: c, dims: ['time', 'lat', 'lon'], dtype: 'float32' as const, units: c.startsWith('z') ? 'm2 s-2' : 'K' })),
  });
  for (const hour of [0, 6]) w.append(hour, Object.fromEntries(IN_CHANNELS.map((c) => [c, field(c, hour)])));
}

test('Pangu-style package: wrong input name fails naming the key, leaves no file; the fixed package reruns without --overwrite and every channel equals the analytic rollout', async () => {
  const d = tempDir('nk-onnx-mapped-');
  const data = join(d, 'era.nc');
  await writeData(data);
  const pkg = writePackage(d, 'pangu', pangu(), { 'model.onnx': Buffer.from(graph({ names: ['input_upper', 'input_surface', 'output', 'output_surface'] })) });
  const out = join(d, 'out', 'forecast.nc');
  const cfg = join(d, 'run.yaml');
  const steps = 3;
  writeFileSync(cfg, `model: ${pkg}\ndata: {file: ${data}}\nstart_times: ["2000-01-01T00:00:00Z", "2000-01-01T06:00:00Z"]\nsteps: ${steps}\nmembers: 3\nbatch_size: 2\nperturbation: {method: gaussian, amplitude: 0.5, seed: 4}\nchunk_steps: 2\noutput: {path: ${out}}\n`);
  // in-process (what `nunatak models run` calls; a subprocess would pay the start-up twice)
  const c = loadRunConfig(cfg);
  await assert.rejects(runModels(c.cfg, { configText: c.text }), (e: unknown) => {
    const text = (e as NunatakError).describe();
    assert.match(text, /metadata\.json: onnx_inputs\.input: .*model\.onnx has no input named 'input'/);
    assert.match(text, /input_upper \[2, 3, 3, 4\] float32; input_surface \[2, 3, 4\] float32/, 'the hint lists the graph inputs and shapes');
    return true;
  });
  assert.ok(!existsSync(out) && !existsSync(`${out}.progress.json`), 'no stub output');

  writeFileSync(join(pkg, 'model.onnx'), graph());
  await runModels(c.cfg, { configText: c.text }); // same config, no overwrite

  const ds = await openDataset(out);
  const chans = [...UPPER, ...SURF]; // out_channels default: the mapped channels in tensor order
  const got = new Map(chans.map((c) => [c, ds.read(c, undefined, 'float32')]));
  ds.close();
  const shape = got.get('z500')!.shape;
  assert.deepEqual(shape, [2, 3, steps + 1, LAT.length, LON.length]);
  let maxRel = 0;
  let checked = 0;
  const at = (c: string, ti: number, m: number, lead: number) => {
    const off = (((ti * 3 + m) * (steps + 1) + lead) * NPIX);
    return (got.get(c)!.data as Float32Array).subarray(off, off + NPIX);
  };
  for (let ti = 0; ti < 2; ti++) {
    for (let m = 0; m < 3; m++) {
      let x: Map<string, Float64Array> = new Map(chans.map((c) => [c, Float64Array.from(at(c, ti, m, 0))]));
      if (m === 0) for (const c of chans) assert.deepEqual(at(c, ti, 0, 0), field(c, 6 * ti), `control ${c} at lead 0 is the data`);
      else assert.notDeepEqual(at('t2m', ti, m, 0), field('t2m', 6 * ti), 'members are perturbed');
      for (let k = 1; k <= steps; k++) {
        x = refStep(x);
        for (const c of chans) {
          const y = at(c, ti, m, k);
          x.get(c)!.forEach((v, p) => {
            maxRel = Math.max(maxRel, Math.abs(y[p] - v) / Math.abs(v));
            checked++;
          });
        }
      }
    }
  }
  assert.equal(checked, 2 * 3 * steps * chans.length * NPIX);
  assert.ok(maxRel < 1e-5, `max relative error ${maxRel}`);
});

function rejectsAt(fn: () => unknown, code: string, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof NunatakError && e.code === code && re.test(e.message), `${code} ${re}`);
}

test('mapping errors name the metadata.json key: channel not in in_channels, channel missing, duplicate, bad layout, unknown like', () => {
  const root = tempDir('nk-onnx-mapped-');
  const files = { 'model.onnx': Buffer.from(graph()) };
  const ins = (input: unknown) => pangu({ onnx_inputs: { input, input_surface: { layout: ['channel', 'y', 'x'], channels: SURF } } });
  rejectsAt(() => readPackage(writePackage(root, 'a', pangu({ in_channels: IN_CHANNELS.filter((c) => c !== 'z250') }), files)), 'CONFIG', /onnx_inputs\.input holds channel 'z250', which is not in in_channels/);
  rejectsAt(() => readPackage(writePackage(root, 'b', pangu({ in_channels: [...IN_CHANNELS, 'q500'] }), files)), 'CONFIG', /in_channels q500 is in no onnx_inputs tensor/);
  rejectsAt(() => readPackage(writePackage(root, 'c', ins({ layout: ['channel', 'y', 'x'], channels: ['z850', 'msl'] }), files)), 'CONFIG', /channel 'msl' is in both onnx_inputs\.input and onnx_inputs\.input_surface/);
  rejectsAt(() => readPackage(writePackage(root, 'd', ins({ layout: ['variable', 'y', 'x', 'level'], variables: VARS, levels: LEVELS }), files)), 'CONFIG', /onnx_inputs\.input\.layout \[variable, y, x, level\] must end with "y", "x"/);
  rejectsAt(() => readPackage(writePackage(root, 'e', ins({ layout: ['variable', 'level', 'y', 'x'], variables: VARS, level: LEVELS }), files)), 'CONFIG', /unknown key 'level'.*did you mean 'levels'.*in onnx_inputs\.input/);
  rejectsAt(() => readPackage(writePackage(root, 'f', pangu({ onnx_outputs: { output: { like: 'inputs' }, output_surface: { like: 'input_surface' } } }), files)), 'CONFIG', /onnx_outputs\.output\.like 'inputs' is not an onnx_inputs entry/);
  rejectsAt(() => readPackage(writePackage(root, 'g', pangu({ onnx_outputs: undefined }), files)), 'CONFIG', /onnx_outputs is missing/);
});

test('a channel count that differs from the graph fails at load with both shapes; a graph input left unmapped is named', async () => {
  const root = tempDir('nk-onnx-mapped-');
  // metadata says 3 levels, the graph's tensors hold 2
  const p1 = readPackage(writePackage(root, 'levels', pangu({ in_channels: undefined }), { 'model.onnx': Buffer.from(graph({ upperLevels: 2 })) }));
  await assert.rejects(loadTimeLoop(p1), (e: unknown) => e instanceof NunatakError && e.code === 'SHAPE' && /onnx_inputs\.input\.layout \[variable, level, y, x\] gives \[2, 3, 3, 4\] \(grid 3×4\), but .*model\.onnx declares input 'input' as \[2, 2, 3, 4\]/.test(e.message));
  const p2 = readPackage(writePackage(root, 'unmapped', pangu({ in_channels: UPPER, onnx_inputs: { input: { layout: ['variable', 'level', 'y', 'x'], variables: VARS, levels: LEVELS } }, onnx_outputs: { output: { like: 'input' } } }), { 'model.onnx': Buffer.from(graph()) }));
  await assert.rejects(loadTimeLoop(p2), (e: unknown) => e instanceof NunatakError && /onnx_inputs does not map the ONNX model's input 'input_surface'/.test(e.message));
});

test('batch and time axes, normalisation: a batched graph with two history levels runs the whole batch at once and reads the levels in order', async () => {
  const root = tempDir('nk-onnx-mapped-');
  const chans = [...UPPER, ...SURF];
  const center = Float32Array.from(chans, (_, k) => 90 + 3 * k);
  const scale = Float32Array.from(chans, (_, k) => 5 + k);
  const meta = pangu({
    in_channels: undefined,
    normalisation: { center: 'center.npy', scale: 'scale.npy' },
    n_history: 1,
    history_time_step: 'PT6H',
    onnx_inputs: {
      input: { layout: ['batch', 'time', 'variable', 'level', 'y', 'x'], variables: VARS, levels: LEVELS },
      input_surface: { layout: ['batch', 'time', 'channel', 'y', 'x'], channels: SURF },
    },
  });
  const pkg = readPackage(writePackage(root, 'hist', meta, { 'model.onnx': Buffer.from(graph({ batch: true, history: true })), 'center.npy': npyBytes(center, [chans.length]), 'scale.npy': npyBytes(scale, [chans.length]) }));
  assert.deepEqual(pkg.inChannels, chans);
  const loop = await loadTimeLoop(pkg);
  const B = 3;
  const T = 2;
  const C = pkg.inChannels.length;
  const x = new Float32Array(B * T * C * NPIX).map((_, i) => Math.cos(i * 0.37) * 20 + 100);
  // the graph steps the normalised state: x_n = (x − center) / scale
  const state = (b: number, t: number) => new Map(chans.map((c, ci) => [c, Float64Array.from(x.subarray(((b * T + t) * C + ci) * NPIX, ((b * T + t) * C + ci + 1) * NPIX), (v) => (v - center[ci]) / scale[ci])]));
  const physical = (n: Map<string, Float64Array>) => new Map(chans.map((c, ci) => [c, n.get(c)!.map((v) => v * scale[ci] + center[ci])]));
  const refs = Array.from({ length: B }, (_, b) => {
    const s1 = refStep(state(b, 1), state(b, 0)); // mean of the older surface
    return [physical(s1), physical(refStep(s1, state(b, 1)))];
  });
  let maxRel = 0;
  for await (const it of loop.loop(new Date('2000-01-01T06:00:00Z'), { data: x, shape: [B, T, C, LAT.length, LON.length] })) {
    if (it.step === 0) continue;
    for (let b = 0; b < B; b++) {
      pkg.outChannels.forEach((c, k) => {
        const off = (b * pkg.outChannels.length + k) * NPIX;
        refs[b][it.step - 1].get(c)!.forEach((v, p) => (maxRel = Math.max(maxRel, Math.abs(it.y.data[off + p] - v) / Math.abs(v))));
      });
    }
    if (it.step === 2) break;
  }
  await loop.close?.();
  assert.ok(maxRel < 1e-5, `max relative error ${maxRel}`);
});

test("docs/models.md's Pangu example is a valid package: 69 channels in earth2studio's order", () => {
  const doc = readFileSync('docs/models.md', 'utf8');
  const section = doc.slice(doc.indexOf('### ONNX graphs with several named inputs and outputs'));
  const meta = JSON.parse(section.slice(section.indexOf('```json') + 7, section.indexOf('```', section.indexOf('```json') + 7)));
  const pkg = readPackage(writePackage(tempDir('nk-onnx-mapped-'), 'pangu', meta, { 'pangu_weather_6.onnx': 'not read until loaded' }));
  const levels = [1000, 925, 850, 700, 600, 500, 400, 300, 250, 200, 150, 100, 50];
  const want = [...['z', 'q', 't', 'u', 'v'].flatMap((v) => levels.map((l) => `${v}${l}`)), 'msl', 'u10m', 'v10m', 't2m'];
  assert.deepEqual(pkg.inChannels, want);
  assert.deepEqual(pkg.outChannels, want);
});
