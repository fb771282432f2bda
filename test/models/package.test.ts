/** metadata.json schema: valid packages, unknown keys, inconsistent shapes, missing files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readPackage } from '../../src/models/package.js';
import { parseDuration, addDuration } from '../../src/models/duration.js';
import { gridShape } from '../../src/models/grid.js';
import { isNunatakError } from '../../src/core/errors.js';
import { npyBytes, tempDir, writePackage } from './helpers.js';

const STEP = join(import.meta.dirname, 'fixtures', 'history-step.ts');
const base = {
  architecture_entrypoint: `${STEP}#load`,
  grid: { lat: { start: 60, step: -2.5, n: 5 }, lon: [0, 2, 4, 6] },
  in_channels: ['t2m', 'z500'],
  out_channels: ['t2m', 'z500'],
  time_step: 'PT6H',
};

function rejects(dir: string, code: string, re: RegExp): void {
  assert.throws(() => readPackage(dir), (e: unknown) => isNunatakError(e) && e.code === code && re.test(e.message));
}

test('a valid package loads with grid, channels, durations and normalisation', () => {
  const root = tempDir();
  const dir = writePackage(root, 'ok', { ...base, n_history: 1, history_time_step: 'PT6H', normalisation: { center: 'c.npy', scale: 's.npy' } }, {
    'c.npy': npyBytes(new Float32Array([280, 5500]), [2]),
    's.npy': npyBytes(new Float32Array([10, 300]), [1, 2, 1, 1]),
  });
  const p = readPackage(dir);
  assert.equal(p.name, 'ok');
  assert.equal(p.kind, 'architecture');
  assert.deepEqual(gridShape(p.grid), [5, 4]);
  assert.equal(p.grid.kind === 'latlon' && p.grid.lat[4], 50);
  assert.equal(p.nHistoryLevels, 2);
  assert.deepEqual([...p.center!], [280, 5500]);
  assert.deepEqual([...p.scale!], [10, 300]);
});

test('preset grids follow earth2mip (721x1440: lat 90 → −90, lon 0 → 359.75)', () => {
  const dir = writePackage(tempDir(), 'g', { ...base, grid: { preset: '721x1440' } });
  const g = readPackage(dir).grid;
  assert.ok(g.kind === 'latlon');
  assert.equal(g.lat.length, 721);
  assert.equal(g.lat[0], 90);
  assert.equal(g.lat[720], -90);
  assert.equal(g.lon[1439], 359.75);
});

test('unknown keys are errors with a did-you-mean (earth2mip docs example: in_channels → silently empty)', () => {
  const root = tempDir();
  rejects(writePackage(root, 'a', { ...base, in_channel: ['t2m'] }), 'CONFIG', /unknown key 'in_channel'.*did you mean 'in_channels'/);
  rejects(writePackage(root, 'b', { ...base, grid: { lat: [1, 2], lon: [1], crs: 'x' } }), 'CONFIG', /grid must be/);
  rejects(writePackage(root, 'c', { ...base, normalisation: { centre: 'c.npy', scale: 's.npy' } }), 'CONFIG', /unknown key 'centre'/);
});

test('integer channel lists, bad durations, missing or double loaders are errors', () => {
  const root = tempDir();
  rejects(writePackage(root, 'a', { ...base, in_channels: [0, 1, 2] }), 'CONFIG', /in_channels\.0/);
  rejects(writePackage(root, 'b', { ...base, time_step: '6h' }), 'CONFIG', /time_step: '6h' is not an ISO 8601 duration/);
  rejects(writePackage(root, 'c', { ...base, onnx: 'm.onnx' }), 'CONFIG', /exactly one of .*got architecture_entrypoint, onnx/);
  const { architecture_entrypoint: _a, ...noLoader } = base;
  rejects(writePackage(root, 'd', noLoader), 'CONFIG', /got none/);
  rejects(writePackage(root, 'e', { ...base, n_history: 2 }), 'CONFIG', /needs history_time_step/);
  rejects(writePackage(root, 'f', { ...base, in_channels: ['t2m', 't2m'] }), 'CONFIG', /lists 't2m' twice/);
  rejects(writePackage(root, 'g', { ...base, grid: { preset: '721x144' } }), 'CONFIG', /did you mean '721x1440'/);
  rejects(writePackage(root, 'h', { ...noLoader, onnx: 'missing.onnx' }), 'NOT_FOUND', /onnx 'missing.onnx' not found/);
  rejects(writePackage(root, 'i', { ...base, n_history: 1, history_time_step: 'PT12H' }), 'CONFIG', /history_time_step PT12H differs from time_step PT6H/);
});

test('normalisation arrays of the wrong length or with zero scale are errors', () => {
  const root = tempDir();
  const norm = { normalisation: { center: 'c.npy', scale: 's.npy' } };
  rejects(writePackage(root, 'a', { ...base, ...norm }, { 'c.npy': npyBytes(new Float32Array(3), [3]), 's.npy': npyBytes(new Float32Array([1, 1]), [2]) }), 'SHAPE', /c.npy has shape \[3\], expected \[2\]/);
  rejects(writePackage(root, 'b', { ...base, ...norm }, { 'c.npy': npyBytes(new Float32Array(2), [2]), 's.npy': npyBytes(new Float32Array([1, 0]), [2]) }), 'INPUT', /scale\[1\] = 0/);
  rejects(writePackage(root, 'c', { ...base, ...norm }, { 'c.npy': npyBytes(new Float32Array(2), [2]) }), 'NOT_FOUND', /normalisation.scale 's.npy' not found/);
});

test('.npy normalisation files written by NumPy are read exactly', () => {
  const dir = writePackage(tempDir(), 'np', { ...base, normalisation: { center: 'c.npy', scale: 's.npy' } });
  execFileSync('/usr/bin/python3', ['-c', `import numpy as np; np.save('${dir}/c.npy', np.array([273.15, 5400.5], dtype='<f8')); np.save('${dir}/s.npy', np.array([[[[11.5]], [[321.25]]]], dtype='<f4'))`]);
  const p = readPackage(dir);
  assert.deepEqual([...p.center!], [Math.fround(273.15), 5400.5]);
  assert.deepEqual([...p.scale!], [11.5, 321.25]);
});

test('ISO 8601 durations parse and add (calendar months, exact hours)', () => {
  assert.deepEqual(parseDuration('P1DT12H'), { years: 0, months: 0, days: 1, seconds: 43200, iso: 'P1DT12H' });
  assert.equal(addDuration(new Date('2041-06-01T00:00:00Z'), parseDuration('P1Y'), 3).toISOString(), '2044-06-01T00:00:00.000Z');
  assert.equal(addDuration(new Date('2020-01-01T00:00:00Z'), parseDuration('PT6H'), -1).toISOString(), '2019-12-31T18:00:00.000Z');
  for (const bad of ['P', 'PT', '6H', 'P1.5Y', 'PT6X']) assert.throws(() => parseDuration(bad), /ISO 8601|fractional/);
});
