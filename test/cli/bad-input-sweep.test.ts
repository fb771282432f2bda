/**
 * Bad-input sweep: every face's CLI on distinct bad inputs, in this process
 * (test/cli/run-cli.ts). Each must end in a clear error: non-zero status, a
 * category tag ([CONFIG], [IO], …) or a usage error naming the option, the
 * file / key at fault named, no stack trace ('at ' frames), at most a few
 * lines. The per-face counts are in docs/errors.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setLogMode } from '../../src/core/log.js';
import { writeNpy } from '../../src/io/npy/index.js';
import { runCli } from './run-cli.js';

const D = mkdtempSync(join(tmpdir(), 'nk-sweep-'));
const f = (name: string, body: string | Buffer): string => {
  const p = join(D, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, body);
  return p;
};
const TEXT = f('notes.txt', 'hello\n');
const PLAIN = f('plain', 'x');
const NPY = join(D, 'a.npy');
writeNpy(NPY, new Float32Array(4 * 4 * 3 * 3), [4, 4, 3, 3]);
const CUT_NPY = f('cut.npy', readFileSync(NPY).subarray(0, 200));
const HEF_NC = resolve('data/netcdf/histalp_merged_hef.nc');
const CUT_NC3 = f('cut3.nc', readFileSync(HEF_NC).subarray(0, 2000));
const A1B = resolve('data/models/A1B_north_america.nc');
const CUT_NC4 = f('cut4.nc', readFileSync(A1B).subarray(0, 5000));
const DEM = resolve('data/hintereisferner/hef_srtm.tif');
const CUT_TIF = f('cut.tif', readFileSync(DEM).subarray(0, 3000));
const EXP = (body: string) => f(`exp-${Math.random().toString(36).slice(2)}/experiment.yaml`, body);
const VALLEY = 'defaults:\n  - override /inputs: [synthetic]\n  - override /processes: [smb_simple, iceflow, time, thk]\ninputs:\n  synthetic: {type: valley, nx: 20, ny: 10, dx: 200}\nprocesses:\n  time: {start: 0, end: 2, save: 1}\nsim: {progress: false}\n';
const GOOD_EXP = EXP(VALLEY);
const PERSIST = resolve('examples/models/persistence');
const modelsCfg = (extra: string, model = PERSIST, data = A1B) =>
  f(`models-${Math.random().toString(36).slice(2)}.yaml`, `model: ${model}\ndata:\n  file: ${data}\n  lexicon: {t2m: air_temperature}\nstart_times: {start: "2041-06-01", end: "2041-06-01", every: P1Y}\nsteps: 1\noutput:\n  path: ${join(D, 'm', Math.random().toString(36).slice(2) + '.nc')}\n${extra}`);
const HBV = readFileSync('examples/dhbv/hbv_calibrated.yaml', 'utf8').replace('../../outputs/dhbv/hbv_calibrated', join(D, 'hbv-out')).replace('../../data/camels_us', resolve('data/camels_us'));
const hbv = (edit: (s: string) => string) => f(`hbv-${Math.random().toString(36).slice(2)}.yaml`, edit(HBV));

interface Case {
  face: 'sim' | 'emulator' | 'models' | 'udf' | 'hybrid' | 'io' | 'worker';
  what: string;
  args: string[];
  /** What the message must name (file, key, option, value). */
  names: RegExp;
}

const CASES: Case[] = [
  // sim
  { face: 'sim', what: 'missing experiment', args: ['run', join(D, 'nope.yaml')], names: /nope\.yaml/ },
  { face: 'sim', what: 'folder without experiment.yaml', args: ['run', join(D)], names: /experiment/ },
  { face: 'sim', what: 'YAML syntax error', args: ['run', EXP('defaults: [\n')], names: /experiment\.yaml/ },
  { face: 'sim', what: 'unknown module', args: ['run', GOOD_EXP, 'processes=[smb_simple,iceflw,time,thk]'], names: /iceflw/ },
  { face: 'sim', what: 'unknown key', args: ['run', GOOD_EXP, 'processes.time.ends=3'], names: /processes\.time\.ends/ },
  { face: 'sim', what: 'bad value type', args: ['run', GOOD_EXP, 'processes.time.end=abc'], names: /processes\.time\.end/ },
  { face: 'sim', what: 'override without =', args: ['run', GOOD_EXP, 'processes.time.end'], names: /processes\.time\.end/ },
  { face: 'sim', what: 'no clock module', args: ['run', GOOD_EXP, 'processes=[smb_simple,iceflow,thk]'], names: /time/ },
  { face: 'sim', what: 'no input module', args: ['run', GOOD_EXP, 'inputs=[]'], names: /usurf|input/ },
  { face: 'sim', what: 'bad --restart form', args: ['run', GOOD_EXP, '--restart', 'output.nc'], names: /restart/ },
  { face: 'sim', what: '--restart file missing', args: ['run', GOOD_EXP, '--restart', `${join(D, 'gone.nc')}@10`, '--out', join(D, 'r1')], names: /gone\.nc/ },
  { face: 'sim', what: '--out under a regular file', args: ['run', GOOD_EXP, '--out', join(PLAIN, 'run')], names: /ENOTDIR/ },
  { face: 'sim', what: '--out on an existing file', args: ['run', GOOD_EXP, '--out', PLAIN], names: /plain/ },
  { face: 'sim', what: '--out inside /proc', args: ['run', GOOD_EXP, '--out', '/proc/nunatak/run'], names: /proc/ },
  { face: 'sim', what: 'user module with a syntax error', args: ['run', (() => { const e = EXP(VALLEY.replace('smb_simple, iceflow', 'smb_simple, bad, iceflow')); f(join(e, '..', 'user/code/processes/bad.ts').slice(D.length + 1), 'export function update( {\n'); return e; })(), '--out', join(D, 'r2')], names: /bad\.ts/ },
  { face: 'sim', what: 'user module missing finalize', args: ['run', (() => { const e = EXP(VALLEY.replace('smb_simple, iceflow', 'smb_simple, half, iceflow')); f(join(e, '..', 'user/code/processes/half.ts').slice(D.length + 1), 'export function initialize() {}\nexport function update() {}\n'); return e; })(), '--out', join(D, 'r3')], names: /half/ },
  { face: 'sim', what: 'module reads an undeclared parameter', args: ['run', (() => { const e = EXP(VALLEY.replace('smb_simple, iceflow', 'smb_simple, rd, iceflow')); f(join(e, '..', 'user/code/processes/rd.ts').slice(D.length + 1), 'export function initialize(c: any) { return c.processes.rd.nope; }\nexport function update() {}\nexport function finalize() {}\n'); return e; })(), '--out', join(D, 'r4')], names: /rd\.nope/ },
  { face: 'sim', what: 'module writes NaN thickness', args: ['run', (() => { const e = EXP(VALLEY.replace('smb_simple, iceflow', 'smb_simple, nan, iceflow')); f(join(e, '..', 'user/code/processes/nan.ts').slice(D.length + 1), 'export function initialize() {}\nexport function update(_c: any, s: any) { s.get("thk").data[3] = NaN; }\nexport function finalize() {}\n'); return e; })(), '--out', join(D, 'r5')], names: /nan/ },
  { face: 'sim', what: 'local input DEM missing', args: ['run', EXP(VALLEY.replace('override /inputs: [synthetic]', 'override /inputs: [local]').replace(/inputs:\n {2}synthetic.*\n/, `inputs:\n  local: {type: geotiff, dem: ${join(D, 'none.tif')}, outline: ${join(D, 'none.shp')}, crs: "EPSG:32632"}\n`)), '--out', join(D, 'r6')], names: /none\./ },
  { face: 'sim', what: 'config show of a missing experiment', args: ['config', 'show', join(D, 'missing.yaml')], names: /missing\.yaml/ },
  { face: 'sim', what: 'help of an unknown module', args: ['help', 'iceflw'], names: /iceflw/ },
  // emulator
  { face: 'emulator', what: '--config missing', args: ['emulator', 'train', '--config', join(D, 'no.yaml')], names: /no\.yaml/ },
  { face: 'emulator', what: 'non-numeric option', args: ['emulator', 'train', '--nb_layers', 'abc'], names: /nb_layers/ },
  { face: 'emulator', what: 'dataset folder missing', args: ['emulator', 'train', '--dataset', join(D, 'nodata'), '--train', 'true'], names: /nodata/ },
  { face: 'emulator', what: 'unknown option', args: ['emulator', 'train', '--nb_layer', '3'], names: /nb_layer/ },
  { face: 'emulator', what: 'export-onnx of a missing folder', args: ['emulator', 'export-onnx', join(D, 'noemu')], names: /noemu/ },
  { face: 'emulator', what: 'import-h5 of a missing folder', args: ['emulator', 'import-h5', join(D, 'noh5'), join(D, 'h5out')], names: /noh5/ },
  { face: 'emulator', what: 'export-onnx of a plain file', args: ['emulator', 'export-onnx', PLAIN], names: /plain/ },
  // models
  { face: 'models', what: 'show a missing package', args: ['models', 'show', join(D, 'nopkg')], names: /nopkg/ },
  { face: 'models', what: 'run config missing', args: ['models', 'run', join(D, 'none.yaml')], names: /none\.yaml/ },
  { face: 'models', what: 'run config unknown key', args: ['models', 'run', modelsCfg('stepz: 3\n')], names: /stepz/ },
  { face: 'models', what: 'run config bad steps', args: ['models', 'run', modelsCfg('').replace(/$/, '') && f('m-steps.yaml', readFileSync(modelsCfg(''), 'utf8').replace('steps: 1', 'steps: -2'))], names: /steps/ },
  { face: 'models', what: 'model package missing', args: ['models', 'run', modelsCfg('', join(D, 'nomodel'))], names: /nomodel/ },
  { face: 'models', what: 'data file missing', args: ['models', 'run', modelsCfg('', PERSIST, join(D, 'nodata.nc'))], names: /nodata\.nc/ },
  { face: 'models', what: 'data file truncated', args: ['models', 'run', modelsCfg('', PERSIST, CUT_NC4)], names: /cut4\.nc/ },
  { face: 'models', what: 'output under a regular file', args: ['models', 'run', f('m-out.yaml', readFileSync(modelsCfg(''), 'utf8').replace(/path: .*/, `path: ${join(PLAIN, 'o.nc')}`))], names: /ENOTDIR/ },
  { face: 'models', what: 'score of a missing forecast', args: ['models', 'score', join(D, 'fc.nc'), '--data', A1B, '--climatology-years', '2041-2050', '--out', join(D, 'score')], names: /fc\.nc/ },
  { face: 'models', what: 'score without --data', args: ['models', 'score', join(D, 'fc.nc')], names: /--data/ },
  { face: 'models', what: 'list of a missing registry', args: ['models', 'list', '--registry', join(D, 'noreg')], names: /noreg/ },
  // udf
  { face: 'udf', what: 'dataset missing', args: ['udf', 'run', 'sum', '-d', join(D, 'none.npy'), '--no-progress'], names: /none\.npy/ },
  { face: 'udf', what: 'unknown built-in UDF', args: ['udf', 'run', 'summ', '-d', NPY, '--no-progress'], names: /summ/ },
  { face: 'udf', what: 'truncated .npy dataset', args: ['udf', 'run', 'sum', '-d', CUT_NPY, '--no-progress'], names: /cut\.npy: file is truncated/ },
  { face: 'udf', what: '--params not JSON', args: ['udf', 'run', 'sum', '-d', NPY, '--params', '{x', '--no-progress'], names: /params/ },
  { face: 'udf', what: 'unknown executor', args: ['udf', 'run', 'sum', '-d', NPY, '-e', 'gpu', '--no-progress'], names: /gpu/ },
  { face: 'udf', what: 'raw file without shapes', args: ['udf', 'run', 'sum', '-d', PLAIN, '--no-progress'], names: /plain/ },
  { face: 'udf', what: 'bad --nav-shape', args: ['udf', 'run', 'sum', '-d', PLAIN, '--nav-shape', 'a,b', '--sig-shape', '1,1', '--dtype', 'uint8', '--no-progress'], names: /nav-shape|a,b/ },
  { face: 'udf', what: 'bad --disk', args: ['udf', 'run', 'masks', '-d', NPY, '--disk', '1,2', '--no-progress'], names: /disk/ },
  { face: 'udf', what: 'ROI of the wrong shape', args: ['udf', 'run', 'sum', '-d', NPY, '--roi', (() => { const p = join(D, 'roi.npy'); writeNpy(p, new Float32Array(6), [2, 3]); return p; })(), '--no-progress'], names: /roi\.npy|ROI/ },
  { face: 'udf', what: 'UDF file missing', args: ['udf', 'run', `${join(D, 'my.ts')}#MyUDF`, '-d', NPY, '--no-progress'], names: /my\.ts/ },
  { face: 'udf', what: 'UDF file without the export', args: ['udf', 'run', `${f('u.ts', 'export const x = 1;\n')}#MyUDF`, '-d', NPY, '--no-progress', '-e', 'inline'], names: /MyUDF/ },
  { face: 'udf', what: '-o under a regular file', args: ['udf', 'run', 'sum', '-d', NPY, '-o', join(PLAIN, 'out'), '--no-progress', '-e', 'inline'], names: /ENOTDIR/ },
  { face: 'udf', what: 'NetCDF dataset without --variable', args: ['udf', 'run', 'sum', '-d', HEF_NC, '--no-progress'], names: /variable/ },
  { face: 'udf', what: 'NetCDF variable missing', args: ['udf', 'run', 'sum', '-d', HEF_NC, '--variable', 'nope', '--no-progress'], names: /nope/ },
  // hybrid
  { face: 'hybrid', what: 'config missing', args: ['hybrid', 'simulate', join(D, 'h.yaml')], names: /h\.yaml/ },
  { face: 'hybrid', what: 'YAML syntax error', args: ['hybrid', 'train', f('hb.yaml', 'model: [\n')], names: /hb\.yaml/ },
  { face: 'hybrid', what: 'impossible date', args: ['hybrid', 'train', hbv((s) => s.replace('end: 2001-12-31', 'end: 2001-02-30'))], names: /2001-02-30/ },
  { face: 'hybrid', what: 'end before start', args: ['hybrid', 'train', hbv((s) => s.replace('start: 2000-01-01', 'start: 2003-01-01'))], names: /start|end/ },
  { face: 'hybrid', what: 'test before training', args: ['hybrid', 'test', hbv((s) => s)], names: /normalization_statistics\.json/ },
  { face: 'hybrid', what: 'unknown physics model', args: ['hybrid', 'train', hbv((s) => s.replace('model: hbv1.0', 'model: hbv9'))], names: /model\.phy\.model/ },
  { face: 'hybrid', what: 'data folder missing', args: ['hybrid', 'train', hbv((s) => s.replace(resolve('data/camels_us'), join(D, 'nocamels')))], names: /nocamels/ },
  { face: 'hybrid', what: 'unknown attribute', args: ['hybrid', 'train', hbv((s) => s.replace('p_mean,', 'p_meen,'))], names: /p_meen/ },
  { face: 'hybrid', what: 'unknown loss', args: ['hybrid', 'train', hbv((s) => s.replace('loss: rmse_comb', 'loss: rmse_combo'))], names: /train\.loss/ },
  // io / inspect
  { face: 'io', what: 'missing file', args: ['inspect', join(D, 'x.nc')], names: /x\.nc/ },
  { face: 'io', what: 'a folder', args: ['inspect', D], names: /directory/ },
  { face: 'io', what: 'unsupported file type', args: ['inspect', TEXT], names: /notes\.txt/ },
  { face: 'io', what: 'truncated .npy', args: ['inspect', CUT_NPY], names: /cut\.npy: file is truncated: 200 bytes, expected \d+/ },
  { face: 'io', what: 'truncated NetCDF3', args: ['inspect', CUT_NC3], names: /cut3\.nc: .*truncated/ },
  { face: 'io', what: 'truncated NetCDF4', args: ['inspect', CUT_NC4], names: /cut4\.nc: file is truncated: 5000 bytes, expected \d+/ },
  { face: 'io', what: 'truncated GeoTIFF', args: ['inspect', CUT_TIF], names: /cut\.tif: file is truncated: 3000 bytes/ },
  { face: 'io', what: '--stats of a missing variable', args: ['inspect', HEF_NC, '--stats', 'tmp'], names: /tmp/ },
  { face: 'io', what: '--plot -o under a regular file', args: ['inspect', DEM, '--plot', '-o', join(PLAIN, 'x.png')], names: /ENOTDIR/ },
  { face: 'io', what: '--time out of range', args: ['inspect', HEF_NC, '--plot', 'temp', '--time', '99999', '-o', join(D, 't.png')], names: /time/ },
  { face: 'io', what: 'unknown colormap', args: ['inspect', DEM, '--plot', '--colormap', 'rainbowz', '-o', join(D, 'c.png')], names: /rainbowz/ },
  // worker
  { face: 'worker', what: '--concurrency abc', args: ['worker', '--redis', 'redis://127.0.0.1:1', '--concurrency', 'abc'], names: /concurrency/ },
  { face: 'worker', what: '--queue ""', args: ['worker', '--redis', 'redis://127.0.0.1:1', '--queue', ''], names: /queue/ },
  { face: 'worker', what: '--lock-duration -5', args: ['worker', '--redis', 'redis://127.0.0.1:1', '--lock-duration', '-5'], names: /lock-duration/ },
  { face: 'worker', what: '--stalled-interval 0', args: ['worker', '--redis', 'redis://127.0.0.1:1', '--stalled-interval', '0'], names: /stalled-interval/ },
  { face: 'worker', what: '--max-stalled-count x', args: ['worker', '--redis', 'redis://127.0.0.1:1', '--max-stalled-count', 'x'], names: /max-stalled-count/ },
  { face: 'worker', what: 'no --redis', args: ['worker'], names: /redis/i },
  { face: 'worker', what: 'malformed Redis URL', args: ['worker', '--redis', 'http://x'], names: /http:\/\/x|redis/i },
];

/** A clear error: failed, tagged (or a usage error), names what it should, no stack, a few lines. */
function verdict(c: Case, r: { status: number; stderr: string; crash?: Error }): string | undefined {
  if (r.crash) return `crash: ${r.crash.message}`;
  if (r.status === 0) return 'exit status 0';
  const text = r.stderr.trim();
  if (/\n\s+at \S/.test(text)) return 'stack trace';
  if (!/\[(CONFIG|IO|NOT_FOUND|SHAPE|DTYPE|PLUGIN|NUMERIC|EXEC|DEPENDENCY|INPUT|CANCELLED)\] |^error: (unknown option|option|missing required|required option|too many)/m.test(text)) return 'no category tag';
  if (!c.names.test(text)) return `does not name ${c.names}`;
  if (text.split('\n').length > 6) return `${text.split('\n').length} lines`;
  return undefined;
}

test(`bad-input sweep: ${CASES.length} cases over seven faces, each a clear error`, async () => {
  setLogMode('quiet');
  const bad: string[] = [];
  const perFace = new Map<string, { cases: number; clear: number }>();
  for (const c of CASES) {
    const r = await runCli(c.args);
    const v = verdict(c, r);
    const n = perFace.get(c.face) ?? { cases: 0, clear: 0 };
    n.cases++;
    if (!v) n.clear++;
    perFace.set(c.face, n);
    if (v) bad.push(`${c.face}: ${c.what}: ${v}\n    ${r.stderr.trim().split('\n').slice(0, 4).join('\n    ')}`);
  }
  const table = [...perFace].map(([k, v]) => `${k} ${v.clear}/${v.cases}`).join(', ');
  process.stdout.write(`# sweep: ${table}\n`);
  assert.ok(CASES.length >= 60, `${CASES.length} cases`);
  assert.deepEqual(bad, [], `unclear errors (${table}):\n${bad.join('\n')}`);
});
