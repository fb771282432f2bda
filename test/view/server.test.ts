/**
 * `nunatak view` server without a browser: only the given paths are served
 * (`..`, `%2e%2e`, absolute paths and a symlink leading outside are refused
 * with 403 and never listed), errors are JSON with the NunatakError message,
 * a taken port is a clear error, and the CLI command starts and answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViewServer, type ViewServer } from '../../src/view/index.ts';
import { NX, NY, thkAt, writeSimLike } from './view-helpers.ts';

let root: string;
let outside: string;
let server: ViewServer;

before(async () => {
  if (spawnSync(process.execPath, ['scripts/build-view.mjs']).status !== 0) throw new Error('build-view failed');
  const base = mkdtempSync(join(tmpdir(), 'nk-view-srv-'));
  root = join(base, 'served');
  outside = join(base, 'secret');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  await writeSimLike(join(root, 'output.nc'));
  copyFileSync(join(root, 'output.nc'), join(outside, 'secret.nc'));
  symlinkSync(join(outside, 'secret.nc'), join(root, 'sub', 'escape.nc'));
  symlinkSync(outside, join(root, 'dirlink'));
  symlinkSync(join(root, 'output.nc'), join(root, 'sub', 'inside.nc'));
  writeFileSync(join(root, 'notes.txt'), 'not data');
  server = await startViewServer({ paths: [root], port: 0 });
});

after(() => server?.close());

/** GET with the path sent exactly as written (no client-side normalisation of '..'). */
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('lists only readable files inside the served folder', async () => {
  const r = await get('/api/files');
  assert.equal(r.status, 200);
  const ids = (JSON.parse(r.body.toString()) as Array<{ id: string }>).map((f) => f.id);
  assert.deepEqual(ids, ['0/output.nc', '0/sub/inside.nc']);
});

test('path traversal and symlink escapes are refused with 403', async () => {
  for (const p of [
    '/api/meta/0/../secret/secret.nc',
    '/api/meta/0/sub/../../secret/secret.nc',
    '/api/meta/0/%2e%2e/secret/secret.nc',
    '/api/meta/0/%2E%2E%2Fsecret%2Fsecret.nc',
    '/api/slab/0/..%2fsecret/secret.nc?var=thk',
    `/api/meta/0/${encodeURIComponent(join(outside, 'secret.nc'))}`,
    '/api/meta/0//etc/passwd',
    '/api/meta/0/sub/escape.nc',
    '/api/meta/0/dirlink/secret.nc',
    '/api/meta/0/output.nc%00',
    '/api/meta/0/%E0%A4%A',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
  ]) {
    const r = await get(p);
    assert.equal(r.status, 403, `${p} → ${r.status} ${r.body}`);
    assert.equal(JSON.parse(r.body.toString()).error.code, 'FORBIDDEN');
  }
  // a symlink that stays inside the folder is fine
  assert.equal((await get('/api/meta/0/sub/inside.nc')).status, 200);
});

test('metadata and a slab carry what the file holds', async () => {
  const meta = JSON.parse((await get('/api/meta/0/output.nc')).body.toString());
  const thk = meta.vars.find((v: { name: string }) => v.name === 'thk');
  assert.deepEqual([thk.dims, thk.shape, thk.map, thk.crs.label], [['time', 'y', 'x'], [5, NY, NX], { y: 1, x: 2 }, 'EPSG:32632']);
  assert.equal(thk.attrs._FillValue, 'NaN');
  assert.equal(meta.coords.time.labels[2], '2020-01-01 00:00:00');
  const r = await get('/api/slab/0/output.nc?var=thk&at=2,0,0');
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-nunatak-shape'], `${NY},${NX}`);
  assert.equal(r.headers['x-nunatak-max'], '200');
  const a = new Float32Array(r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength));
  for (const [j, i] of [[0, 0], [12, 25], [12, 33], [NY - 1, NX - 1]]) assert.equal(a[j * NX + i], Math.fround(thkAt(2, j, i)));
});

test('bad requests are JSON errors naming the problem', async () => {
  const cases: Array<[string, number, RegExp]> = [
    ['/api/slab/0/output.nc?var=nope', 404, /no variable 'nope'/],
    ['/api/slab/0/output.nc?var=thk&at=9,0,0', 400, /index 9 is outside dimension 'time'/],
    ['/api/slab/0/output.nc?var=thk&at=1,0', 400, /'at' has 2 indices/],
    ['/api/meta/0/missing.nc', 404, /no such file/],
    ['/api/meta/0/notes.txt', 422, /not a file nunatak view can show/],
    ['/api/meta/7/x.nc', 404, /no served path/],
    ['/nowhere', 404, /no route/],
  ];
  for (const [p, status, re] of cases) {
    const r = await get(p);
    assert.equal(r.status, status, `${p}: ${r.body}`);
    assert.match(JSON.parse(r.body.toString()).error.message, re);
  }
});

test('a taken port is a clear error', async () => {
  await assert.rejects(startViewServer({ paths: [root], port: server.port }), new RegExp(`port ${server.port} is in use; pass --port 0 for any free port`));
});

test('nunatak view starts from the command line and serves the page', async () => {
  const child = spawn(process.execPath, ['bin/nunatak.js', '--json', 'view', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<canvas id="map">/);
  } finally {
    child.kill('SIGTERM');
  }
});
