// Field as array and lazily converted tensor: round trips, staleness both
// ways, ownership across tf.tidy, and no tensor leaks (tf.memory().numTensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { Field } from '../../src/core/field/field.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { isNunatakError } from '../../src/core/errors.js';

const grid = makeGrid({ nx: 5, ny: 3, x0: 0, y0: 0, dx: 100, dy: 100 });
const ramp = () => Float32Array.from({ length: 15 }, (_, k) => k * 0.5);

for (const backend of ['wasm', 'cpu'] as const) {
  test(`field ↔ tensor round trip and staleness (${backend})`, async () => {
    await ready(backend);
    const before = tf.memory().numTensors;
    const f = new Field({ name: 'thk', grid, units: 'm', data: ramp() });
    const t = f.tensor;
    assert.deepEqual(t.shape, [3, 5]);
    assert.deepEqual(Array.from(t.dataSync()), Array.from(ramp()));
    assert.equal(f.tensor, t, 'tensor is cached while data is unchanged');

    // tensor → data: setTensor makes the array stale until read.
    f.setTensor(tf.tidy(() => tf.where(tf.greater(f.tensor, 3), f.tensor, tf.zerosLike(f.tensor))));
    assert.equal(t.isDisposed, true, 'superseded tensor is disposed');
    assert.equal(f.at(0, 4), 0, 'at() syncs from the tensor (value 2 masked to 0)');
    assert.equal(f.at(2, 4), 7);
    const d = f.data;
    assert.deepEqual(Array.from(d), Array.from(ramp(), (v) => (v > 3 ? v : 0)));

    // data → tensor: a write through data makes the next tensor fresh.
    d[0] = 42;
    assert.equal(f.tensor.dataSync()[0], 42);
    f.data = new Float32Array(15).fill(1);
    assert.equal(f.tensor.dataSync()[14], 1);

    f.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  });
}

test('field tensor survives tf.tidy and setTensor inside tidy is kept', async () => {
  await ready('wasm');
  const before = tf.memory().numTensors;
  const f = new Field({ name: 'usurf', grid, data: ramp() });
  tf.tidy(() => {
    const t = f.tensor;
    f.setTensor(tf.mul(t, 2));
  });
  assert.equal(f.at(1, 1), 6 * 0.5 * 2);
  assert.equal(tf.memory().numTensors, before + 1, 'only the field tensor is alive');
  // Many updates in a loop leak nothing.
  for (let k = 0; k < 20; k++) f.setTensor(tf.tidy(() => tf.add(f.tensor, 1)));
  assert.equal(f.at(0, 0), 20);
  assert.equal(tf.memory().numTensors, before + 1);
  f.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('a tensor owned by one field is shared safely with another', async () => {
  await ready('wasm');
  const before = tf.memory().numTensors;
  const a = new Field({ name: 'a', grid, data: ramp() });
  const b = new Field({ name: 'b', grid });
  b.setTensor(a.tensor);
  a.data[0] = -1; // disposes a's tensor; b must still hold the values
  assert.equal(b.at(0, 1), 0.5);
  assert.equal(b.data[0], 0);
  a.dispose();
  b.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('field rejects tensors and arrays of the wrong shape or dtype', async () => {
  await ready('wasm');
  const f = new Field({ name: 'thk', grid });
  const bad = tf.zeros([5, 3]);
  assert.throws(() => f.setTensor(bad), (e) => isNunatakError(e, 'SHAPE') && /thk/.test(e.message) && /3, 5/.test(e.message));
  const ints = tf.zeros([3, 5], 'int32');
  assert.throws(() => f.setTensor(ints), (e) => isNunatakError(e, 'SHAPE') && /int32/.test(e.message));
  assert.throws(() => (f.data = new Float32Array(4)), (e) => isNunatakError(e, 'SHAPE') && /'thk'/.test(e.message));
  bad.dispose();
  ints.dispose();
  const f3 = new Field({ name: 'temp', grid, nz: 2 });
  assert.deepEqual(f3.tensor.shape, [2, 3, 5]);
  f3.dispose();
});
