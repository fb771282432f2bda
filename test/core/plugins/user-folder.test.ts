import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scanUserFolder, resolveEntrypoint } from '../../../src/core/plugins/index.js';
import { resolveConfig, type ConfigTree } from '../../../src/core/config/index.js';
import { fixtureCatalog } from '../../fixtures/config/catalog.js';

const root = resolve('test/fixtures/config/user');

test('scanUserFolder finds code (file and package form) and conf per kind', () => {
  const found = scanUserFolder(root);
  assert.deepEqual(
    found.map((m) => [m.kind, m.name, m.code?.slice(root.length), m.conf?.slice(root.length)]),
    [
      ['processes', 'iceflow', '/user/code/processes/iceflow/iceflow.ts', undefined],
      ['processes', 'mysmb', '/user/code/processes/mysmb.ts', '/user/conf/processes/mysmb.yaml'],
      ['processes', 'time', undefined, '/user/conf/processes/time.yaml'],
    ],
  );
});

test('kinds and folder names are configurable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-user-'));
  mkdirSync(join(dir, 'my/src/losses'), { recursive: true });
  writeFileSync(join(dir, 'my/src/losses/nse.ts'), 'export default () => 0;\n');
  writeFileSync(join(dir, 'my/src/losses/types.d.ts'), '');
  const found = scanUserFolder(dir, { kinds: ['losses', 'models'], codeDir: 'my/src', confDir: 'my/conf' });
  assert.deepEqual(found, [{ kind: 'losses', name: 'nse', code: join(dir, 'my/src/losses/nse.ts') }]);
  assert.deepEqual(scanUserFolder(join(dir, 'nothing-here')), []);
});

test('a user module named like a built-in replaces it in the catalogue; code-only keeps built-in defaults', async () => {
  const catalog = fixtureCatalog().addUserFolder(root);
  assert.equal(catalog.entry('processes', 'time').origin, 'user');
  assert.equal(catalog.entry('processes', 'thk').origin, 'builtin');
  const r = resolveConfig({ catalog, overrides: ['processes=[mysmb,iceflow,time]', 'processes.time.dt=0.5'] });
  const p = r.values.processes as ConfigTree;
  assert.deepEqual(p.time, { start: 0, end: 50, dt: 0.5 }); // the user's schema, not the built-in's
  assert.deepEqual(p.mysmb, { ela: 2800 });
  assert.equal((p.iceflow as ConfigTree).init_arrhenius, 78); // built-in defaults for a code-only user module
  assert.equal(catalog.entry('processes', 'iceflow').code, join(root, 'user/code/processes/iceflow/iceflow.ts'));
  // the user code loads through the plugin resolver (TypeScript, no build step)
  const mod = await resolveEntrypoint<{ update(s: { ela: number; smb?: number }): void }>(catalog.entry('processes', 'mysmb').code!, {
    expect: { type: 'object', methods: ['initialize', 'update', 'finalize'] },
  });
  const state = { ela: 2800, smb: undefined as number | undefined };
  mod.value.update(state);
  assert.equal(state.smb, 1);
});
