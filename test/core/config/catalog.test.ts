import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigCatalog, addCatalogProvider, loadCatalogProviders, resolveConfig } from '../../../src/core/config/index.js';
import { NunatakError } from '../../../src/core/errors.js';
import { register } from '../../fixtures/config/catalog.js';

test('catalogue: kinds are configurable, unknown kinds and modules fail with did-you-mean', () => {
  const c = new ConfigCatalog(['models', 'losses']);
  assert.deepEqual(c.kinds, ['models', 'losses']);
  c.addModule('losses', 'nse');
  assert.deepEqual(c.find('nse').map((e) => `${e.kind}/${e.name}`), ['losses/nse']);
  assert.deepEqual(c.find('models/nse'), []);
  assert.throws(() => c.addModule('loss', 'x'), (e: unknown) => e instanceof NunatakError && /unknown module kind 'loss' — did you mean 'losses'\?/.test(e.message));
  assert.throws(() => c.entry('losses', 'nsee'), (e: unknown) => e instanceof NunatakError && /unknown losses module 'nsee' — did you mean 'nse'\?/.test(e.message));
  assert.throws(() => c.addSection('models', 'x.yaml'), /clashes with a module kind/);
  const r = resolveConfig({ catalog: c, overrides: ['losses=[nse]'] });
  assert.deepEqual(r.values, { models: {}, losses: { nse: {} } });
});

test('catalogue providers run once per catalogue', async () => {
  let calls = 0;
  addCatalogProvider((c) => {
    calls++;
    register(c);
  });
  const a = new ConfigCatalog();
  await loadCatalogProviders(a);
  await loadCatalogProviders(a);
  assert.equal(calls, 1);
  assert.deepEqual(a.names('processes'), ['iceflow', 'smb_simple', 'thk', 'time', 'vert_flow']);
  await loadCatalogProviders(new ConfigCatalog());
  assert.equal(calls, 2);
});
