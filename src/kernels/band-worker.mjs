// Worker side of BandPool (plain JS so it runs without a TS loader): waits on
// a shared control block, runs its row band of the requested kernel function
// over the shared memory, counts itself done. See pool.ts for the layout.
import { workerData, parentPort } from 'node:worker_threads';

const { memory, modules, ctrl, args, index } = workerData;
const c = new Int32Array(ctrl);
const a = new Float64Array(args);
const fns = modules.map(({ name, module }) => {
  const inst = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error(`kernel '${name}' aborted`); } } });
  return inst.exports;
});
const names = modules.map((m) => m.name);
// Function tables in the same order as pool.ts builds them.
const fnNames = modules.map(({ module }) => WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name));
parentPort.postMessage('ready');
let seen = 0;
// Spin briefly before sleeping: a futex wake-up costs tens of microseconds,
// which is the whole kernel time on small grids.
const SPIN = 20000;
for (;;) {
  for (let k = 0; k < SPIN && Atomics.load(c, 0) === seen; k++);
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (c[1] === -1) break;
  // c[1]: module index, c[2]: function-name index, c[3]: nargs, c[4]: rows, c[5]: bands
  const mod = fns[c[1]];
  const fname = fnNames[c[1]][c[2]];
  const nargs = c[3];
  const rows = c[4];
  const bands = c[5];
  const j0 = Math.floor((rows * index) / bands);
  const j1 = Math.floor((rows * (index + 1)) / bands);
  try {
    if (j1 > j0) mod[fname](j0, j1, ...Array.from(a.subarray(0, nargs)));
  } catch (e) {
    c[7] = 1;
    console.error(`band worker ${index} (${names[c[1]]}.${fname}):`, e);
  }
  Atomics.add(c, 6, 1);
  Atomics.notify(c, 6);
}
