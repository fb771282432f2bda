// Runs every test/**/*.test.ts with node's test runner (Node 20 has no glob in --test).
// Usage: node scripts/run-tests.mjs [substring filter ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { installLine, missingPeers } from './test-peers.mjs';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
let files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Peer-interop tests need Debian tools (ncdump, netCDF4-python, redis-server,
// GDAL). Missing ones stop the run at once with one instruction — or, with
// NUNATAK_SKIP_PEERS=1, the files that need them are left out and reported in
// one line. CI (.ci/run) sets NUNATAK_REQUIRE_PEERS=1: nothing may be skipped.
const missing = missingPeers(files);
if (missing.length > 0) {
  const names = missing.map((m) => `${m.peer.name} (${m.files.length} file${m.files.length > 1 ? 's' : ''})`).join(', ');
  const skip = process.env.NUNATAK_SKIP_PEERS === '1' && process.env.NUNATAK_REQUIRE_PEERS !== '1';
  if (!skip) {
    console.error(`\nmissing test peers: ${names}.\nInstall them with:  ${installLine(missing)}\n` +
      (process.env.NUNATAK_REQUIRE_PEERS === '1' ? 'NUNATAK_REQUIRE_PEERS=1: nothing may be skipped.\n' : 'or run NUNATAK_SKIP_PEERS=1 npm test to skip the tests that need them.\n'));
    process.exit(1);
  }
  const skipped = new Set(missing.flatMap((m) => m.files));
  files = files.filter((f) => !skipped.has(f));
  console.error(`\n*** SKIPPED ${skipped.size} peer-interop test file${skipped.size > 1 ? 's' : ''}: missing ${names}; install with: ${installLine(missing)} ***\n`);
  if (files.length === 0) process.exit(0);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NUNATAK_QUIET: '1' },
});
process.exit(r.status ?? 1);
