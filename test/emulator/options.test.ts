// Option parsing: DLE defaults, YAML + CLI precedence, type errors, unknown keys,
// results-folder name (DLE's exactly) and the run-parameters dump, DLE spellings,
// and the docs table generated from the option table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPTION_NAMES, formatRunParameters, mergeOptionSources, parseEmulatorOptions, pythonFloatStr, readOptionsYaml, resultsFolderName } from '../../src/emulator/options.js';
import { OPTIONS_BEGIN, OPTIONS_END, emulatorOptionsMarkdown } from '../../src/emulator/options-markdown.js';
import { isNunatakError } from '../../src/core/errors.js';

test('defaults are DLE defaults', () => {
  const o = parseEmulatorOptions({});
  assert.deepEqual(
    {
      dataset: o.dataset, maptype: o.maptype, network: o.network, conv_ker_size: o.conv_ker_size, nb_layers: o.nb_layers,
      nb_blocks: o.nb_blocks, nb_out_filter: o.nb_out_filter, activation: o.activation, dropout_rate: o.dropout_rate,
      learning_rate: o.learning_rate, clipnorm: o.clipnorm, regularization: o.regularization, batch_size: o.batch_size,
      loss: o.loss, resample_data: o.resample_data, include_test_in_train: o.include_test_in_train,
      save_model_each: o.save_model_each, data_augmentation: o.data_augmentation, data_stepping: o.data_stepping,
      epochs: o.epochs, seed: o.seed, thr_ice: o.thr_ice, patch_size: o.patch_size, verbose: o.verbose, train: o.train, predict: o.predict,
      patience: o.patience,
    },
    {
      dataset: 'pism_isoth_2000', maptype: 'f2', network: 'cnn', conv_ker_size: 3, nb_layers: 16, nb_blocks: 4, nb_out_filter: 32,
      activation: 'lrelu', dropout_rate: 0, learning_rate: 1e-4, clipnorm: 0.5, regularization: 0, batch_size: 64, loss: 'mae',
      resample_data: 1, include_test_in_train: false, save_model_each: 10000, data_augmentation: true, data_stepping: 1,
      epochs: 100, seed: 123, thr_ice: 1, patch_size: 32, verbose: 1, train: true, predict: true, patience: 100,
    },
  );
});

test('YAML file values, overridden by command-line strings (coerced like DLE str2bool)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-emu-opt-'));
  try {
    const f = join(dir, 'o.yaml');
    writeFileSync(f, 'network: unet\nepochs: 7\nloss: mse\ndata_augmentation: false\n');
    const o = parseEmulatorOptions(mergeOptionSources(readOptionsYaml(f), { epochs: '9', include_test_in_train: 'True', learning_rate: '3e-4', network: undefined }));
    assert.equal(o.network, 'unet');
    assert.equal(o.epochs, 9);
    assert.equal(o.loss, 'mse');
    assert.equal(o.data_augmentation, false);
    assert.equal(o.include_test_in_train, true);
    assert.equal(o.learning_rate, 3e-4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad values and unknown keys name the option', () => {
  assert.throws(() => parseEmulatorOptions({ network: 'resnet' }), (e) => isNunatakError(e, 'CONFIG') && /'network'/.test(e.message));
  assert.throws(() => parseEmulatorOptions({ epochs: '2.5' }), (e) => isNunatakError(e, 'CONFIG') && /'epochs'/.test(e.message));
  assert.throws(() => parseEmulatorOptions({ batch_size: 0 }), (e) => isNunatakError(e, 'CONFIG') && /'batch_size'/.test(e.message));
  assert.throws(() => parseEmulatorOptions({ patch_size: 0 }), (e) => isNunatakError(e, 'CONFIG') && /'patch_size'/.test(e.message));
  assert.throws(() => parseEmulatorOptions({ learnig_rate: 1 }, 'x.yaml'), (e) => isNunatakError(e, 'CONFIG') && /x\.yaml.*learnig_rate.*learning_rate/.test(e.message));
});

test('results folder name and run-parameters dump follow DLE', () => {
  const o = parseEmulatorOptions({ dataset: 'cfsflow_100', maptype: 'f15', epochs: 50 });
  assert.equal(resultsFolderName(o), 'cfsflow_100+MAPTY-f15+NETWO-cnn+CONVS-3+DEPTH-16+NBFIL-32+EPOCH-50+RSAMP-1.0+TESTI-0');
  const dump = formatRunParameters(o);
  assert.match(dump, /^ {23}dataset : cfsflow_100$/m);
  assert.match(dump, /^ {24}epochs : 50$/m);
});

test("results folder: resample_data printed as Python's str(float), dataset renamed to the new resolution, as DLE's initialize()", () => {
  assert.equal(pythonFloatStr(1), '1.0');
  assert.equal(pythonFloatStr(2), '2.0');
  assert.equal(pythonFloatStr(0.5), '0.5');
  assert.equal(pythonFloatStr(1.5e-5), '1.5e-05');
  assert.equal(pythonFloatStr(1e16), '1e+16');
  const o = parseEmulatorOptions({ dataset: 'cfsflow_100', resample_data: 2, network: 'unet', nb_blocks: 3, include_test_in_train: true });
  assert.equal(resultsFolderName(o), 'cfsflow_200+MAPTY-f2+NETWO-unet+CONVS-3+DEPTH-3+NBFIL-32+EPOCH-100+RSAMP-2.0+TESTI-1');
  assert.throws(() => resultsFolderName(parseEmulatorOptions({ dataset: 'toy', resample_data: 2 })), (e) => isNunatakError(e, 'CONFIG') && /_<resolution>.*'toy'/.test(e.message));
});

test("DLE's spellings: thrice is thr_ice, usegpu is accepted (a boolean) and ignored", () => {
  assert.equal(parseEmulatorOptions({ thrice: '0.25' }).thr_ice, 0.25);
  assert.equal(parseEmulatorOptions({ usegpu: 'True' }).thr_ice, 1);
  assert.ok(!('usegpu' in parseEmulatorOptions({ usegpu: false })));
  assert.throws(() => parseEmulatorOptions({ usegpu: 'maybe' }), (e) => isNunatakError(e, 'CONFIG') && /usegpu/.test(e.message));
  assert.throws(() => parseEmulatorOptions({ thrice: 1, thr_ice: 2 }, 'x.yaml'), (e) => isNunatakError(e, 'CONFIG') && /x\.yaml.*thrice.*thr_ice.*twice/.test(e.message));
});

test('docs/emulator.md holds the options table generated from the option table (run scripts/docs-emulator-options.ts after a change)', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/emulator.md'), 'utf8');
  const a = doc.indexOf(OPTIONS_BEGIN);
  const b = doc.indexOf(OPTIONS_END);
  assert.ok(a >= 0 && b > a, 'markers present');
  assert.equal(doc.slice(a + OPTIONS_BEGIN.length, b).trim(), emulatorOptionsMarkdown());
  // every option has a row with its default
  for (const k of OPTION_NAMES) assert.ok(emulatorOptionsMarkdown().includes(`| \`--${k.replace(/_/g, '-')}\` |`), k);
});
