/**
 * The emulator workflow end to end (see README.md):
 *   1. SIA runs on synthetic beds and Hintereisferner under varied SMB →
 *      DLE dataset `<out>/data/hef_sia/{train,test}/<case>/output.nc`;
 *   2. `nunatak emulator train --config examples/emulator/train.yaml …`;
 *   3. the held-out Hintereisferner scenario rerun with `iceflow.method`
 *      sia, emulated and diagnostic;
 *   4. `<out>/report.md` and `report.json`: velocity / thickness / volume
 *      errors of the emulated run vs SIA, diagnostic rows, speed-ups.
 * Run from the repository root:
 *   npx tsx examples/emulator/run.ts [--quick] [--out DIR]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NunatakError } from '../../src/core/errors.js';
import { compareRuns, readDiagnostic, readRun, readTiming, type SaveErrors } from './compare.js';
import { EXAMPLE_DIR, generateDataset, runCase } from './generate.js';
import { PLANS, type Plan } from './plan.js';
import { formatReport } from './report.js';

const REPO = resolve(EXAMPLE_DIR, '..', '..');

export interface RerunInfo {
  seconds: number;
  steps: number;
  volume: number;
  iceflowMsPerStep: number;
}

export interface ExampleResult {
  plan: Plan['label'];
  out: string;
  emulatorDir: string;
  /** Wall seconds of data generation and of training (the CLI process). */
  seconds: { data: number; train: number };
  /** train-history.csv rows: epoch, loss, val_loss. */
  history: Array<{ epoch: number; loss: number; val_loss: number }>;
  sia: RerunInfo;
  emulated: RerunInfo;
  diagnostic: RerunInfo;
  /** Emulated run vs SIA run, per save. */
  errors: SaveErrors[];
  /** iceflow_diagnostic.csv rows (emulator vs SIA on the SIA state). */
  diagnosticRows: Array<Record<string, number>>;
}

/** `nunatak emulator train` as a child process; returns the results folder it prints. */
async function trainEmulator(plan: Plan, dataDir: string, resultsDir: string, quiet: boolean): Promise<string> {
  const flags: Record<string, string | number> = { maptype: join(EXAMPLE_DIR, 'f2hef'), data_dir: dataDir, results_dir: resultsDir, ...plan.trainFlags };
  if (quiet) flags.verbose = 0;
  const args = [join(REPO, 'bin', 'nunatak.js'), 'emulator', 'train', '--config', join(EXAMPLE_DIR, 'train.yaml')];
  for (const [k, v] of Object.entries(flags)) args.push(`--${k}`, String(v));
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => {
    stdout += b.toString();
    if (!quiet) process.stdout.write(b);
  });
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  const dir = /^results: (.+)$/m.exec(stdout)?.[1];
  if (code !== 0 || !dir) throw new NunatakError('EXEC', `nunatak emulator train exited with ${code}: ${stderr.slice(-2000)}`);
  return dir;
}

function readHistory(dir: string): ExampleResult['history'] {
  const lines = readFileSync(join(dir, 'train-history.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(/\s+/);
  return lines.slice(1).map((l) => {
    const v = l.trim().split(/\s+/).map(Number);
    return { epoch: v[head.indexOf('epoch')], loss: v[head.indexOf('loss')], val_loss: v[head.indexOf('val_loss')] };
  });
}

async function rerun(plan: Plan, dir: string, extra: string[]): Promise<RerunInfo> {
  const r = await runCase(plan, plan.test, dir, extra);
  return { seconds: r.seconds, steps: r.steps, volume: r.volume, iceflowMsPerStep: readTiming(dir).msPerCall };
}

export async function runExample(opts: { quick?: boolean; out: string; log?: (line: string) => void }): Promise<ExampleResult> {
  const plan = PLANS[opts.quick ? 'quick' : 'full'];
  const say = opts.log ?? (() => {});
  const out = resolve(opts.out);
  for (const sub of ['data', 'results', 'reruns']) rmSync(join(out, sub), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  say(`1/4 SIA training data (${plan.train.length} train cases + 1 test case, ${plan.end} a each)`);
  let t0 = performance.now();
  await generateDataset(plan, join(out, 'data', 'hef_sia'), (split, c, r) => say(`    ${split}/${c.name}: ${r.seconds.toFixed(1)} s, ${r.volume.toFixed(3)} km³`));
  const data = (performance.now() - t0) / 1000;

  say('2/4 nunatak emulator train');
  t0 = performance.now();
  const emulatorDir = await trainEmulator(plan, join(out, 'data'), join(out, 'results'), !!opts.quick);
  const train = (performance.now() - t0) / 1000;

  say(`3/4 ${plan.test.name} rerun with iceflow.method sia, emulated, diagnostic`);
  const emu = [`processes.iceflow.emulator=${emulatorDir}`];
  const sia = await rerun(plan, join(out, 'reruns', 'sia'), []);
  const emulated = await rerun(plan, join(out, 'reruns', 'emulated'), ['processes.iceflow.method=emulated', ...emu]);
  const diagnostic = await rerun(plan, join(out, 'reruns', 'diagnostic'), ['processes.iceflow.method=diagnostic', ...emu]);

  say('4/4 compare');
  const errors = compareRuns(await readRun(join(out, 'reruns', 'sia')), await readRun(join(out, 'reruns', 'emulated')));
  const result: ExampleResult = {
    plan: plan.label, out, emulatorDir, seconds: { data, train }, history: readHistory(emulatorDir),
    sia, emulated, diagnostic, errors, diagnosticRows: readDiagnostic(join(out, 'reruns', 'diagnostic')),
  };
  writeFileSync(join(out, 'report.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(out, 'report.md'), formatReport(result));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? args[at + 1] : join('outputs', 'emulator-example');
  const r = await runExample({ quick: args.includes('--quick'), out, log: (l) => process.stdout.write(l + '\n') });
  process.stdout.write('\n' + formatReport(r));
}
