/**
 * Live view of a UDF run over server-sent events, without a browser: the
 * stream carries `run`, one `merge` per partition (ids in order, progress
 * rising to exactly 1.0), then `done`; between merges the served buffer holds
 * the merged frames' values and NaN elsewhere; at the end it equals the
 * result the run returned (as float32). Last-Event-ID resumes a stream; a
 * server without a run answers 404. `nunatak udf run … --view` prints the
 * live address, streams the run and serves what it wrote.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/io/npy/index.ts';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.ts';
import { Context } from '../../src/udf/context.ts';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import type { ErrorBody } from '../../src/view/protocol.ts';
import { LiveHub } from '../../src/view/live/hub.ts';
import { openLiveView } from '../../src/view/live/session.ts';
import { publishUdfRun } from '../../src/view/live/udf.ts';
import { NAV, PARTS, SIG, frameSum, openSse, readSse, scan } from './live-helpers.ts';

let dir: string;
let hub: LiveHub;
let server: ViewServer;
let plain: ViewServer;

before(async () => {
  if (spawnSync(process.execPath, ['scripts/build-view.mjs']).status !== 0) throw new Error('build-view failed');
  dir = mkdtempSync(join(tmpdir(), 'nk-live-'));
  hub = new LiveHub();
  server = await startViewServer({ paths: [dir], port: 0, live: hub });
  plain = await startViewServer({ paths: [dir], port: 0 });
});

after(async () => {
  await server?.close();
  await plain?.close();
  rmSync(dir, { recursive: true, force: true });
});

const slabOf = async (url: string) => {
  const r = await fetch(url);
  assert.equal(r.status, 200, await r.clone().text());
  return { shape: r.headers.get('x-nunatak-shape'), data: new Float32Array(await r.arrayBuffer()) };
};

test('a UDF run streams run, one merge per partition in order, done; the final buffer equals the result', async () => {
  const ds = scan();
  const n = NAV[0] * NAV[1];
  const stream = await openSse(`${server.url}api/live`); // subscribed before the run starts
  const pub = publishUdfRun(hub, ds, 'sumsig', 'udf sumsig on scan', n);
  const ctx = await Context.make({ kind: 'inline' });
  const seen: number[] = [];
  let result;
  try {
    result = await ctx.runUdf(ds, new SumSigUDF(), {
      numPartitions: PARTS,
      plots: (partial, damage, info) => {
        pub.plots(partial, damage, info);
        // the snapshot served now: merged frames hold their sums, the others NaN
        const b = hub.buffer('intensity')!;
        for (let k = 0; k < n; k++) assert.equal(b.data[k], damage[k] ? frameSum(k) : NaN, `frame ${k} after ${info.merged} merges`);
        seen.push(damage.reduce((a, x) => a + x, 0));
      },
    });
  } finally {
    await ctx.close();
  }
  pub.finish(result);
  const events = await stream.events;
  assert.match(stream.contentType ?? '', /^text\/event-stream/);
  assert.deepEqual(events.map((e) => e.type), ['run', ...Array(PARTS).fill('merge'), 'done']);
  assert.deepEqual(events.map((e) => e.id), events.map((_, k) => k + 1));
  const merges = events.filter((e) => e.type === 'merge').map((e) => e.data);
  assert.deepEqual(merges.map((m) => m.merged), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(merges.map((m) => m.frames), seen);
  for (let k = 1; k < merges.length; k++) assert.ok(merges[k].progress > merges[k - 1].progress, 'progress rises');
  assert.equal(merges.at(-1).progress, 1);
  assert.equal(events.at(-1)!.data.progress, 1);
  assert.deepEqual(merges[0].buffers[0], { name: 'intensity', dtype: 'float32', dims: ['scan_y', 'scan_x'], shape: NAV, attrs: { long_name: 'sumsig intensity (nav result)', nunatak_buffer_kind: 'nav' }, map: { y: 0, x: 1 } });
  const got = await slabOf(`${server.url}api/live/slab/intensity`);
  assert.equal(got.shape, NAV.join(','));
  const want = result.get('intensity').data;
  for (let k = 0; k < n; k++) assert.equal(got.data[k], Math.fround(want[k]), `cell ${k}`);
  assert.equal(want[n - 1], frameSum(n - 1)); // the result itself is the plain-loop sum
});

test('Last-Event-ID resumes the stream; meta lists the buffers; errors are JSON', async () => {
  const events = await readSse(`${server.url}api/live`, 3);
  assert.deepEqual(events.map((e) => e.id), [4, 5, 6, 7, 8]);
  const meta = (await (await fetch(`${server.url}api/live/meta`)).json()) as { vars: Array<{ name: string }> };
  assert.deepEqual(meta.vars.map((v) => v.name), ['intensity']);
  const bad = await fetch(`${server.url}api/live/slab/nope`);
  assert.equal(bad.status, 404);
  assert.match(((await bad.json()) as ErrorBody).error.message, /no buffer 'nope'/);
  const none = await fetch(`${plain.url}api/live`);
  assert.equal(none.status, 404);
  assert.match(((await none.json()) as ErrorBody).error.message, /no live run/);
  assert.equal((await fetch(`${server.url}live`)).status, 200);
});

test('--view on a taken port is one error naming --view-port', async () => {
  await assert.rejects(openLiveView({ view: true, viewPort: server.port }, [dir], 'test'), new RegExp(`--view-port ${server.port} is in use; pass --view-port 0 for any free port`));
  assert.equal(await openLiveView({}, [dir], 'test'), undefined, 'no --view, no server');
});

test('nunatak udf run --view prints the live address, streams the run, serves its files', async () => {
  const ds = scan();
  const npy = join(dir, 'scan.npy');
  writeNpy(npy, ds.data as Float32Array, [...NAV, ...SIG], 'float32');
  const out = join(dir, 'out');
  const child = spawn(process.execPath, ['bin/nunatak.js', '--json', 'udf', 'run', 'sumsig', '-d', npy, '-e', 'inline', '--partition-mib', '0.01', '--no-progress', '-o', out, '--view', '--view-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const lines: string[] = [];
    const held = new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        lines.push(...buf.split('\n').slice(0, -1));
        buf = buf.split('\n').at(-1)!;
        if (lines.some((l) => l.includes('"view-hold"'))) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    await held;
    const { url } = JSON.parse(lines.find((l) => l.includes('"event":"view"'))!) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/live$/);
    const events = await readSse(url.replace(/live$/, 'api/live'));
    const merges = events.filter((e) => e.type === 'merge');
    assert.ok(merges.length >= 2, `${merges.length} partitions`);
    assert.equal(merges.at(-1)!.data.progress, 1);
    assert.equal(events.at(-1)!.type, 'done');
    const got = await slabOf(url.replace(/live$/, 'api/live/slab/intensity'));
    const written = readNpy(join(out, 'sumsig_intensity.npy')) as { data: Float64Array };
    assert.deepEqual(Array.from(got.data), Array.from(written.data, Math.fround));
    // the output folder is served as files too
    const files = (await (await fetch(url.replace(/live$/, 'api/files'))).json()) as Array<{ label: string }>;
    assert.ok(files.some((f) => f.label.endsWith('sumsig.nc')), JSON.stringify(files));
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', r)));
  assert.equal(code, 0, stderr);
});
