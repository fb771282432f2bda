/**
 * Engine: the lifecycle order (recorded by user modules), user modules found
 * in user/code, a user module replacing and wrapping a built-in, run folders
 * with the resolved config, and mass conservation through the whole module
 * chain (smb_simple → iceflow → time → thk).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const recorder = (kind: string, fns: string[]) =>
  `const calls = (globalThis as any).__calls ??= [];\n` +
  fns.map((f) => `export function ${f}(_cfg: unknown, state: any) { calls.push('${kind}.' + '${f}' + (state.it !== undefined && '${f}' !== 'run' || '${kind}' === 'out' ? '@' + state.it : '')); }`).join('\n') +
  '\n';

test('lifecycle: inputs.run → processes.initialize → outputs.initialize → loop {update, run} → finalize once', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ processes: ['rec', 'time'], outputs: ['out'], time: 'start: 0, end: 2, save: 1, step_max: 1' }),
    'user/code/processes/rec.ts': recorder('rec', ['initialize', 'update', 'finalize']),
    'user/code/outputs/out.ts': recorder('out', ['initialize', 'run']),
  });
  (globalThis as any).__calls = [];
  const r = await runExperiment({ experiment: root, outDir: join(root, 'run') });
  const seq = (globalThis as any).__calls as string[];
  // time: it 0 (dt 0, t 0), it 1 (t 1), it 2 (t 2, stop) → 3 passes
  assert.deepEqual(seq, [
    'rec.initialize@0', 'out.initialize@0',
    'rec.update@0', 'out.run@0',
    'rec.update@1', 'out.run@1',
    'rec.update@2', 'out.run@2',
    'rec.finalize@3',
  ]);
  assert.equal(r.t, 2);
  assert.ok(r.modules.includes('processes/rec (user)'));
  // timings.csv counts every lifecycle call
  const t = readFileSync(join(root, 'run', 'timings.csv'), 'utf8').trim().split('\n');
  assert.equal(t[0], 'module,function,calls,total_ms,ms_per_call');
  const calls = Object.fromEntries(t.slice(1).map((l) => l.split(',')).map((c) => [`${c[0]}.${c[1]}`, Number(c[2])]));
  assert.equal(calls['processes/rec.update'], 3);
  assert.equal(calls['outputs/out.run'], 3);
  assert.equal(calls['processes/rec.finalize'], 1);
  assert.equal(calls['inputs/synthetic.run'], 1);
});

test('run folder holds the resolved config, and it resolves again to the same values', async () => {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml() });
  const out = join(root, 'o');
  await runExperiment({ experiment: join(root, 'experiment.yaml'), outDir: out, overrides: ['processes.time.end=20'] });
  const text = readFileSync(join(out, 'config.yaml'), 'utf8');
  assert.match(text, /end: 20/);
  const again = await runExperiment({ experiment: join(out, 'config.yaml'), outDir: join(root, 'o2') });
  assert.equal(again.t, 20);
  assert.ok(existsSync(join(root, 'o2', 'config.yaml')));
});

test('a user module named like a built-in replaces it and can wrap it', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml(),
    // wraps the built-in smb_simple (same defaults): SMB doubled after the built-in ran
    'user/code/processes/smb_simple.ts':
      `import builtin from ${JSON.stringify(join(process.cwd(), 'src/sim/modules/processes/smb_simple.ts'))};\n` +
        'export default { ...builtin, update(cfg: any, state: any) { builtin.update(cfg, state); const s = state.get("smb").data; for (let k = 0; k < s.length; k++) s[k] *= 2; (globalThis as any).__wrapped = true; } };\n',
  });
  (globalThis as any).__wrapped = false;
  const r = await runExperiment({ experiment: root, outDir: join(root, 'o') });
  assert.equal((globalThis as any).__wrapped, true);
  assert.ok(r.modules.includes('processes/smb_simple (user)'));
});

test('mass conservation through the module chain: zero SMB keeps the volume to 1e-5; with SMB ΔV = ∫smb + clipped − outflow', async () => {
  // a Gaussian ice cap on a flat bed, far from the border, no SMB
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ processes: ['budget', 'iceflow', 'time', 'thk'], time: 'start: 0, end: 50, save: 25' }),
    'user/code/processes/budget.ts':
      'export const fields = { reads: ["thk"], writes: ["smb"] };\n' +
      'export function initialize(_c: any, s: any) { const h = s.get("thk").data; const n = s.grid.nx; for (let j = 0; j < s.grid.ny; j++) for (let i = 0; i < n; i++) { const r2 = ((i - 14.5) ** 2 + (j - 7) ** 2) / 16; h[j * n + i] = r2 < 1 ? 300 * (1 - r2) : 0; } s.ensure("smb"); (globalThis as any).__v0 = s.volumeKm3(); }\n' +
      'export function update() {}\nexport function finalize() {}\n',
  });
  const r = await runExperiment({ experiment: root, outDir: join(root, 'o'), overrides: ['inputs.synthetic.type=flat'] });
  const v0 = (globalThis as any).__v0 as number;
  assert.ok(v0 > 0.01);
  assert.ok(Math.abs(r.volume - v0) / v0 < 1e-5, `relative volume change ${(r.volume - v0) / v0}`);
});

test('with SMB (valley, ice reaching the border): ΔV = ∫smb·dt + clipped − outflow to 1e-5 of V', async () => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({ outputs: ['grab'], time: 'start: 0, end: 100, save: 50', procs: '  smb_simple: {ela: 2700}\n' }),
    'user/code/outputs/grab.ts':
      'export function initialize(_c: any, s: any) { (globalThis as any).__v0 = s.volumeKm3() * 1e9; }\n' +
      'export function run(_c: any, s: any) { (globalThis as any).__budget = s.extra.thk; (globalThis as any).__v = s.volumeKm3() * 1e9; }\n',
  });
  await runExperiment({ experiment: root, outDir: join(root, 'o') });
  const g = globalThis as any;
  const b = g.__budget as { smb: number; clipped: number; outflow: number };
  const dv = g.__v - g.__v0;
  assert.ok(b.outflow > 0, 'ice leaves the domain');
  assert.ok(Math.abs(dv - (b.smb + b.clipped - b.outflow)) <= 1e-5 * g.__v, `ΔV ${dv} vs budget ${b.smb + b.clipped - b.outflow}`);
});
