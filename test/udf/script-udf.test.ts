// A UDF defined in the script that runs it (the LiberTEM habit), from a folder
// outside the repository with no package.json: with the `isMain` guard it runs
// on inline, threads and distributed (real redis-server and `nunatak worker`
// processes); without it, inline still works and threads/distributed refuse
// before scattering with a clear error — and the workers stay usable.
// Every script run is a child process with a hard time limit, so a hang fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startRedis, startWorkerProcess, stopProcess, type RedisServer } from '../helpers/redis-server.js';

const UDF_API = pathToFileURL(fileURLToPath(new URL('../../src/udf/index.ts', import.meta.url))).href;
const TSX = import.meta.resolve('tsx/esm/api').replace(/api\/index\.mjs$/, 'index.mjs');
const dir = mkdtempSync(join(tmpdir(), 'nunatak-script-udf-'));
let redis: RedisServer;
const workers: ChildProcess[] = [];

// Frame i holds 16i … 16i+15, so its sum is 256 i + 120.
const EXPECTED = Array.from({ length: 8 }, (_, i) => 256 * i + 120).join(',');

function script(guarded: boolean): string {
  const main = `
  const kind = process.argv[2] as 'inline';
  const ds = new MemoryDataset({ data: Float32Array.from({ length: 8 * 16 }, (_, i) => i), navShape: [8], sigShape: [4, 4] });
  const ctx = await Context.make({ kind, workers: 2, redis: process.argv[3], workerWaitMs: 15000 } as any);
  try {
    const r = await ctx.runUdf(ds, new RowSum(), { numPartitions: 4 });
    console.log('RESULT', Array.from(r.get('s').data as Float64Array).join(','));
  } finally {
    await ctx.close();
  }`;
  return `import { Context, MemoryDataset, UDF, udfEntry, isMain } from '${UDF_API}';

export class RowSum extends UDF {
  static override entry = udfEntry(import.meta.url, 'RowSum');
  getResultBuffers() {
    return { s: this.buffer({ kind: 'nav', dtype: 'float64' }) };
  }
  processFrame(f: Float32Array) {
    let a = 0;
    for (const v of f) a += v;
    this.results.s[0] = a;
  }
}
${guarded ? `if (isMain(import.meta.url)) {${main}\n}` : `void isMain;\n${main}`}
`;
}

before(async () => {
  writeFileSync(join(dir, 'guarded.mts'), script(true));
  writeFileSync(join(dir, 'unguarded.mts'), script(false));
  redis = await startRedis();
  workers.push(...(await Promise.all([startWorkerProcess(redis.url, 'nunatak-tasks'), startWorkerProcess(redis.url, 'nunatak-tasks')])));
});

after(async () => {
  for (const w of workers) await stopProcess(w, 'SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `node --import tsx <file> <kind> [redis]` in the temp folder; killed after 40 s. */
function runScript(file: string, kind: string): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, ['--import', TSX, file, kind, redis.url], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 40_000);
    p.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, out });
    });
  });
}

for (const kind of ['inline', 'threads', 'distributed']) {
  test(`a UDF defined in the running script (guarded with isMain) runs on ${kind}`, { timeout: 45_000 }, async () => {
    const { code, out } = await runScript('guarded.mts', kind);
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`^RESULT ${EXPECTED}$`, 'm'));
  });
}

test('without the guard: inline still works (the script is never imported again)', { timeout: 45_000 }, async () => {
  const { code, out } = await runScript('unguarded.mts', 'inline');
  assert.equal(code, 0, out);
  assert.match(out, new RegExp(`^RESULT ${EXPECTED}$`, 'm'));
});

for (const kind of ['threads', 'distributed']) {
  test(`without the guard: ${kind} refuses before scattering, naming the file and both fixes; workers stay usable`, { timeout: 90_000 }, async () => {
    const { code, out } = await runScript('unguarded.mts', kind);
    assert.notEqual(code, 0);
    assert.match(out, /RowSum is defined in .*unguarded\.mts, the script this process is running/);
    assert.match(out, /isMain\(import\.meta\.url\)/);
    assert.match(out, /move RowSum to its own file/);
    assert.doesNotMatch(out, /RESULT/);
    if (kind !== 'distributed') return;
    // Nothing was scattered or queued: the same workers run the guarded script next.
    const again = await runScript('guarded.mts', kind);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`^RESULT ${EXPECTED}$`, 'm'));
  });
}
