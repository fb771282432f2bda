import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, resolveMultirun, saveResolved, splitSweep, type ConfigTree } from '../../../src/core/config/index.js';
import { NunatakError } from '../../../src/core/errors.js';
import { fixtureCatalog } from '../../fixtures/config/catalog.js';

const experimentFile = 'test/fixtures/config/experiment.yaml';
const catalog = fixtureCatalog();

test('splitSweep splits at top-level commas only', () => {
  assert.deepEqual(splitSweep('a,b'), ['a', 'b']);
  assert.deepEqual(splitSweep('[1,2],[3,4]'), ['[1,2]', '[3,4]']);
  assert.deepEqual(splitSweep("'x,y',z"), ["'x,y'", 'z']);
  assert.deepEqual(splitSweep('{a: 1, b: 2}'), ['{a: 1, b: 2}']);
});

test('a multirun sweep is the cartesian product, last key varying fastest', () => {
  const runs = resolveMultirun({
    experimentFile,
    catalog,
    overrides: ['processes.time.end=2080,2110', 'core.backend=cpu', 'processes.iceflow.fieldin=[thk],[thk,usurf],[usurf]'],
  });
  assert.equal(runs.length, 6);
  assert.deepEqual(
    runs.map((r) => r.label),
    [
      'processes.time.end=2080,processes.iceflow.fieldin=[thk]',
      'processes.time.end=2080,processes.iceflow.fieldin=[thk,usurf]',
      'processes.time.end=2080,processes.iceflow.fieldin=[usurf]',
      'processes.time.end=2110,processes.iceflow.fieldin=[thk]',
      'processes.time.end=2110,processes.iceflow.fieldin=[thk,usurf]',
      'processes.time.end=2110,processes.iceflow.fieldin=[usurf]',
    ],
  );
  const ends = runs.map((r) => ((r.config.values.processes as ConfigTree).time as ConfigTree).end);
  assert.deepEqual(ends, [2080, 2080, 2080, 2110, 2110, 2110]);
  const fieldin = runs.map((r) => ((r.config.values.processes as ConfigTree).iceflow as ConfigTree).fieldin);
  assert.deepEqual(fieldin[4], ['thk', 'usurf']);
  for (const r of runs) {
    assert.equal((r.config.values.core as ConfigTree).backend, 'cpu');
    assert.ok(r.overrides.includes('core.backend=cpu'));
  }
  // no sweep: one run with an empty label
  const one = resolveMultirun({ experimentFile, catalog, overrides: ['core.seed=3'] });
  assert.equal(one.length, 1);
  assert.equal(one[0].label, '');
  // module selections can be swept too
  const sel = resolveMultirun({ catalog, overrides: ['processes=[time],[time,thk]'] });
  assert.deepEqual(sel.map((r) => r.config.selection.processes), [['time'], ['time', 'thk']]);
});

test('a type error in one sweep value fails the whole multirun before anything runs', () => {
  assert.throws(
    () => resolveMultirun({ experimentFile, catalog, overrides: ['processes.time.end=2080,later'] }),
    (e: unknown) => e instanceof NunatakError && /processes.time.end = 'later' is not a valid number/.test(e.message),
  );
  assert.throws(
    () => resolveMultirun({ experimentFile, catalog, overrides: ['core.seed=1,,2'] }),
    (e: unknown) => e instanceof NunatakError && /empty value in sweep/.test(e.message),
  );
});

test('the saved resolved config reloads to the same config (added keys included)', () => {
  const r = resolveConfig({
    experimentFile,
    catalog,
    overrides: ['processes.time.end=2042', '+processes.iceflow.extra.depth=3', '+note=hi', 'processes.smb_simple.file=null'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'nk-save-'));
  const file = saveResolved(dir, r);
  assert.equal(file, join(dir, 'config.yaml'));
  const text = readFileSync(file, 'utf8');
  assert.match(text, /- override \/processes: \[smb_simple, iceflow, time, thk\]/);
  assert.match(text, /\+extra:/);
  const again = resolveConfig({ experimentFile: file, catalog });
  assert.deepEqual(again.values, r.values);
  assert.deepEqual(again.selection, r.selection);
  assert.deepEqual(again.added, r.added);
  // and saving that again gives the same values text (only the header's experiment line differs)
  const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  assert.equal(body(readFileSync(saveResolved(dir, again, 'again.yaml'), 'utf8')), body(text));
});
