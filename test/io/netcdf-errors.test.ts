/** Bad input to the NetCDF reader gives NunatakErrors naming the file and what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { isNunatakError } from '../../src/core/errors.js';
import { PEER, py, tempDir } from './peer.js';

const HEF = 'data/netcdf/histalp_merged_hef.nc';
const A1B = 'data/netcdf/A1B_north_america.nc';

test('not a NetCDF file, empty file, missing file', async (t) => {
  const dir = tempDir(t);
  const txt = join(dir, 'notes.nc');
  writeFileSync(txt, 'just some text, not netcdf\n');
  await assert.rejects(openDataset(txt), (e) => isNunatakError(e, 'IO') && e.message.includes('notes.nc') && /not a NetCDF or HDF5 file/.test(e.message));
  const empty = join(dir, 'empty.nc');
  writeFileSync(empty, '');
  await assert.rejects(openDataset(empty), (e) => isNunatakError(e, 'IO') && /empty\.nc.*too short/.test(e.message));
  await assert.rejects(openDataset(join(dir, 'nope.nc')), (e) => isNunatakError(e, 'NOT_FOUND') && /nope\.nc: no such file/.test(e.message));
});

test('truncated NetCDF3 (in the data and in the header) and truncated NetCDF4', async (t) => {
  const dir = tempDir(t);
  const full = readFileSync(HEF);
  const cutData = join(dir, 'cut-data.nc');
  writeFileSync(cutData, full.subarray(0, full.length - 1000));
  await assert.rejects(openDataset(cutData), (e) => isNunatakError(e, 'IO') && /cut-data\.nc: file is truncated/.test(e.message));
  const cutHead = join(dir, 'cut-head.nc');
  writeFileSync(cutHead, full.subarray(0, 300));
  await assert.rejects(openDataset(cutHead), (e) => isNunatakError(e, 'IO') && /cut-head\.nc: malformed NetCDF3 header/.test(e.message));
  const h5 = readFileSync(A1B);
  const cut4 = join(dir, 'cut4.nc');
  writeFileSync(cut4, h5.subarray(0, Math.floor(h5.length / 2)));
  // the superblock's end-of-file address is the full file size: the cut is told before HDF5 reads anything
  const half = Math.floor(h5.length / 2);
  await assert.rejects(openDataset(cut4), (e) => isNunatakError(e, 'IO') && e.message === `${cut4}: file is truncated: ${half} bytes, expected ${h5.length} (the end-of-file address in its HDF5 superblock)`);
  const cutSuper = join(dir, 'cut-super.nc');
  writeFileSync(cutSuper, h5.subarray(0, 20));
  await assert.rejects(openDataset(cutSuper), (e) => isNunatakError(e, 'IO') && /cut-super\.nc: file is truncated: 20 bytes, expected \d+ \(at least, for the HDF5 superblock alone\)/.test(e.message));
});

test('missing variable suggests close names; bad hyperslabs are rejected', async (t) => {
  const path = join(tempDir(t), 'p.nc');
  py([PEER, 'write4', path]);
  for (const p of [HEF, path]) {
    const ds = await openDataset(p);
    t.after(() => ds.close());
    const [name, typo] = p === HEF ? ['temp', 'tmep'] : ['packed', 'pakced'];
    assert.throws(() => ds.read(typo), (e) => isNunatakError(e, 'NOT_FOUND') && e.message.includes(p) && e.message.includes(`no variable '${typo}'`) && e.message.includes(`did you mean '${name}'`));
    const shape = ds.variable(name).shape;
    assert.throws(
      () => ds.read(name, { start: [0, 0, 0], count: [1, 1, shape[2] + 1] }),
      (e) => isNunatakError(e, 'SHAPE') && e.message.includes(p) && /out of range on dimension '(lon|x)'/.test(e.message),
    );
    assert.throws(() => ds.read(name, { start: [-1, 0, 0], count: [1, 1, 1] }), (e) => isNunatakError(e, 'SHAPE'));
    assert.throws(() => ds.read(name, { start: [0, 0], count: [1, 1] }), (e) => isNunatakError(e, 'SHAPE') && /give 3 values/.test(e.hint ?? ''));
  }
});
