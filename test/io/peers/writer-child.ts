/**
 * Child process for the kill test: creates a NetCDF4 file, appends one time
 * step per line on stdin ("save"), prints "saved N" after each, and waits.
 * The parent SIGKILLs it between saves.
 */
import { createInterface } from 'node:readline';
import { createNetcdf } from '../../../src/io/netcdf/writer.js';

const path = process.argv[2];
const w = await createNetcdf(path, {
  grid: { nx: 5, ny: 4, x0: 0, y0: 0, dx: 100, dy: 100, crs: 'EPSG:32632' },
  time: { units: 'days since 2000-01-01' },
  variables: [{ name: 'thk', units: 'm' }],
});
process.stdout.write('ready\n');
for await (const _line of createInterface({ input: process.stdin })) {
  const k = w.records;
  w.append(k * 10, { thk: new Float32Array(20).fill(k + 0.5) });
  process.stdout.write(`saved ${w.records}\n`);
}
