/** Registry resolution: names, file:/// URLs, relative paths, errors; `nunatak models list|show`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPackage, listPackages, resolvePackageDir } from '../../src/models/registry.js';
import { isNunatakError } from '../../src/core/errors.js';
import { tempDir, writePackage } from './helpers.js';

const meta = { architecture_entrypoint: './m.ts#load', grid: { lat: [10, 20], lon: [0, 1, 2] }, in_channels: ['t2m'], out_channels: ['t2m'], time_step: 'P1Y', description: 'test' };
const root = tempDir();
const reg = join(root, 'registry');
const alpha = writePackage(reg, 'alpha', meta);
writePackage(reg, 'beta', { ...meta, time_step: 'oops' });

test('names resolve in the registry; paths and file:/// URLs resolve as given', () => {
  assert.equal(resolvePackageDir('alpha', { registry: reg }), alpha);
  assert.equal(findPackage('alpha', { registry: reg }).name, 'alpha');
  assert.equal(resolvePackageDir(pathToFileURL(alpha).href, {}), alpha);
  assert.ok(pathToFileURL(alpha).href.startsWith('file:///'));
  assert.equal(resolvePackageDir(`./${relative(root, alpha)}`, { cwd: root }), alpha);
  const saved = process.env.NUNATAK_MODEL_REGISTRY;
  process.env.NUNATAK_MODEL_REGISTRY = reg;
  try {
    assert.equal(resolvePackageDir('alpha'), alpha);
  } finally {
    if (saved === undefined) delete process.env.NUNATAK_MODEL_REGISTRY;
    else process.env.NUNATAK_MODEL_REGISTRY = saved;
  }
});

test('registry errors: unknown name with suggestion, no registry, file://host, other schemes', () => {
  assert.throws(() => resolvePackageDir('alpah', { registry: reg }), (e: unknown) => isNunatakError(e, 'NOT_FOUND') && /did you mean 'alpha'/.test(e.message));
  const saved = process.env.NUNATAK_MODEL_REGISTRY;
  delete process.env.NUNATAK_MODEL_REGISTRY;
  try {
    assert.throws(() => resolvePackageDir('alpha'), /no model registry is set/);
  } finally {
    if (saved !== undefined) process.env.NUNATAK_MODEL_REGISTRY = saved;
  }
  assert.throws(() => resolvePackageDir('file://abs/path/to/pkg'), (e: unknown) => isNunatakError(e, 'CONFIG') && /file:\/\/\/abs\/path\/to\/pkg/.test(e.hint ?? ''));
  assert.throws(() => resolvePackageDir('s3://bucket/pkg'), /only file:\/\/\/ URLs/);
});

test('listPackages validates every package and reports broken ones', () => {
  const entries = listPackages({ registry: reg });
  assert.deepEqual(entries.map((e) => e.name), ['alpha', 'beta']);
  assert.equal(entries[0].error, undefined);
  assert.match(entries[1].error ?? '', /time_step: 'oops' is not an ISO 8601 duration/);
});

test('CLI: nunatak models list and show', () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'nunatak.js');
  let out = '';
  try {
    execFileSync(process.execPath, [bin, 'models', 'list', '--registry', reg], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit code 1 because beta is broken
  }
  assert.match(out, /^alpha {2}architecture {2}1 → 1 channels {2}step P1Y {2}lat\/lon 2×3/m);
  assert.match(out, /^beta {2}BROKEN: .*time_step/m);
  const show = execFileSync(process.execPath, [bin, 'models', 'show', 'alpha', '--registry', reg], { encoding: 'utf8' });
  assert.match(show, /in_channels: {2}t2m/);
  assert.match(show, /grid: +lat\/lon 2×3: lat 10 … 20 \(step 10\) °N, lon 0 … 2 \(step 1\) °E/);
  assert.match(show, /metadata.json \(\d+ B\)/);
});
