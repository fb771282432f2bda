/** `nunatak worker` option errors: one [CONFIG] line naming the flag, before any Redis connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/nunatak.js');
// port 1 has no Redis: a run that got past the checks would fail differently (or hang; timeout 20 s)
const cases: Array<[string[], RegExp]> = [
  [['--concurrency', 'abc'], /--concurrency 'abc' is not a whole number ≥ 1/],
  [['--concurrency', '0'], /--concurrency '0'/],
  [['--queue', ''], /--queue '' is not a queue name/],
  [['--lock-duration', '-5'], /--lock-duration '-5' is not a whole number ≥ 1/],
  [['--stalled-interval', '1.5'], /--stalled-interval '1.5'/],
];
for (const [args, re] of cases) {
  test(`worker ${args.join(' ') || "''"} → clear CLI error`, () => {
    const r = spawnSync(process.execPath, [BIN, 'worker', '--redis', 'redis://127.0.0.1:1', ...args], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /\[CONFIG\]/);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}
