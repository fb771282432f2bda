/** Rollouts through the executor seam: chunking and resume are bit-exact, pre-flight lists missing channels, grid mismatch, NaN stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPackage } from '../../src/models/package.js';
import { loadTimeLoop } from '../../src/models/load.js';
import { ArraySource } from '../../src/models/datasource.js';
import { runRollout, outputSteps, type RolloutPlan, type RolloutProgress, type RolloutSink } from '../../src/models/rollout.js';
import { InlineExecutor } from '../../src/exec/index.js';

const inlineExecutor = () => new InlineExecutor();
import { perturbedBatch } from '../../src/models/perturb/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { tempDir, writePackage } from './helpers.js';

const STEP = join(import.meta.dirname, 'fixtures', 'history-step.ts');
const Y = 3, X = 4, NPIX = Y * X;
const lat = [50, 45, 40], lon = [0, 5, 10, 15];

function pkg(entry = 'load') {
  return readPackage(writePackage(tempDir(), 'r', {
    architecture_entrypoint: `${STEP}#${entry}`,
    grid: { lat, lon },
    in_channels: ['a', 'b'],
    out_channels: ['a', 'b'],
    n_history: 1,
    history_time_step: 'P1Y',
    time_step: 'P1Y',
  }));
}

const times = Array.from({ length: 6 }, (_, i) => new Date(Date.UTC(2000 + i, 5, 1)));
function source(channels = ['a', 'b'], g = { lat, lon }) {
  const f: Record<string, Float32Array> = {};
  channels.forEach((c, ci) => (f[c] = Float32Array.from({ length: times.length * g.lat.length * g.lon.length }, (_, i) => Math.sin(0.21 * i + ci))));
  return new ArraySource('test-source', { kind: 'latlon', lat: Float64Array.from(g.lat), lon: Float64Array.from(g.lon) }, times, f);
}

class MemorySink implements RolloutSink {
  out = new Map<string, Float32Array>();
  writes = 0;
  progress?: RolloutProgress;
  constructor(private failAfter = Infinity) {}
  write(t: number, m0: number, n: number, lead: number, data: Float32Array) {
    if (this.writes >= this.failAfter) throw new Error('simulated crash');
    this.writes++;
    const per = data.length / n;
    for (let k = 0; k < n; k++) this.out.set(`${t}|${m0 + k}|${lead}`, data.slice(k * per, (k + 1) * per));
  }
  saveProgress(p: RolloutProgress) {
    this.progress = JSON.parse(JSON.stringify(p)) as RolloutProgress;
  }
}

function plan(p = pkg(), over: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    pkg: p,
    startTimes: [times[1], times[3]],
    steps: 5,
    members: 3,
    batchSize: 2,
    perturbation: { method: 'gaussian', amplitude: 0.1, seed: 3 },
    every: 1,
    channels: ['b', 'a'],
    region: { y0: 0, y1: Y, x0: 0, x1: X },
    chunkSteps: 2,
    ...over,
  };
}

test('ensemble rollout equals a direct time loop on the perturbed batch; chunk size does not matter', async () => {
  const ex = inlineExecutor();
  const chunked = new MemorySink();
  await runRollout(plan(), source(), ex, chunked);
  const whole = new MemorySink();
  await runRollout(plan(undefined, { chunkSteps: 100, batchSize: 3 }), source(), ex, whole);
  assert.equal(chunked.out.size, 2 * 3 * 6);
  assert.deepEqual([...chunked.out.entries()].sort(), [...whole.out.entries()].sort());
  // direct reference for init 1, member 2
  const p = pkg();
  const loop = await loadTimeLoop(p);
  const x = { data: new Float32Array(2 * 2 * NPIX), shape: [1, 2, 2, Y, X] };
  const src = source();
  x.data.set(await src.read(times[2], ['a', 'b']), 0);
  x.data.set(await src.read(times[3], ['a', 'b']), 2 * NPIX);
  const xb = await perturbedBatch(loop, times[3], x, plan().perturbation, [2]);
  for await (const it of loop.loop(times[3], xb)) {
    const got = chunked.out.get(`1|2|${it.step}`)!;
    assert.deepEqual(got.subarray(0, NPIX), it.y.data.subarray(NPIX, 2 * NPIX)); // channel b first
    assert.deepEqual(got.subarray(NPIX), it.y.data.subarray(0, NPIX));
    if (it.step === 5) break;
  }
});

test('an interrupted rollout resumes from its saved progress and gives identical output', async () => {
  const ex = inlineExecutor();
  const ref = new MemorySink();
  await runRollout(plan(), source(), ex, ref);
  const crash = new MemorySink(9);
  await assert.rejects(runRollout(plan(), source(), ex, crash), /simulated crash/);
  assert.ok(crash.progress && crash.progress.chains.some((c) => c.done >= 0));
  const resumed = new MemorySink();
  resumed.out = new Map(crash.out);
  await runRollout(plan(), source(), ex, resumed, { resume: crash.progress });
  assert.deepEqual([...resumed.out.entries()].sort(), [...ref.out.entries()].sort());
  assert.deepEqual(outputSteps({ steps: 5, every: 2 }), [0, 2, 4]);
});

test('pre-flight lists every missing channel and time before any compute', async () => {
  const sink = new MemorySink();
  await assert.rejects(runRollout(plan(undefined, { startTimes: [times[0], times[5]] }), source(['a', 'bb']), inlineExecutor(), sink), (e: unknown) =>
    isNunatakError(e, 'NOT_FOUND') && /channel 'b' — did you mean .*'bb'\? and 1 time \(1999-06-01/.test(e.message) && /nothing was computed/.test(e.message));
  assert.equal(sink.writes, 0);
});

test('grid mismatch and NaN output are errors; output before the NaN step is kept', async () => {
  await assert.rejects(runRollout(plan(), source(['a', 'b'], { lat: [50, 45, 41], lon }), inlineExecutor(), new MemorySink()), (e: unknown) => isNunatakError(e, 'SHAPE') && /lat\[2\] = 41/.test(e.message));
  const sink = new MemorySink();
  await assert.rejects(runRollout(plan(pkg('nanAtStep2'), { chunkSteps: 1, members: 1, startTimes: [times[1]] }), source(), inlineExecutor(), sink), (e: unknown) => /step 2 .*NaN in channel 'b'/.test((e as Error).message));
  assert.deepEqual([...sink.out.keys()].sort(), ['0|0|0', '0|0|1']);
});
