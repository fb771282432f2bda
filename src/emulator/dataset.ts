/**
 * DLE's data layout: `<data_dir>/<dataset>/{train,test}/<case>/` holding one
 * NetCDF file (fields time × y × x plus 1-D x, y) or one `<field>.npy` of
 * shape (time, y, x) per field. Cases are sorted by name.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { openDataset } from '../io/netcdf/index.js';
import { readNpy } from '../io/npy/index.js';
import type { CaseData } from './case-data.js';

function to3d(data: ArrayLike<number>, shape: number[], where: string): { nt: number; ny: number; nx: number; v: Float32Array } {
  const s = shape.filter((n, k) => !(n === 1 && shape.length > 3 && k < shape.length - 2));
  const [nt, ny, nx] = s.length === 3 ? s : s.length === 2 ? [1, s[0], s[1]] : [NaN, NaN, NaN];
  if (!Number.isFinite(nt)) throw new NunatakError('SHAPE', `${where}: expected (time, y, x) or (y, x), got shape [${shape.join(', ')}]`);
  return { nt, ny, nx, v: data instanceof Float32Array ? data : Float32Array.from(data) };
}

async function readNetcdfCase(file: string, name: string, needed: Set<string>): Promise<CaseData> {
  const ds = await openDataset(file);
  try {
    for (const c of ['x', 'y']) if (!ds.has(c)) throw new NunatakError('NOT_FOUND', `${file}: coordinate variable '${c}' is missing`, { hint: 'DLE NetCDF cases need 1-D x and y (m)' });
    const x = ds.read('x', undefined, 'float64').data;
    const y = ds.read('y', undefined, 'float64').data;
    if (x.length < 2 || y.length < 2) throw new NunatakError('SHAPE', `${file}: x and y need at least 2 values`);
    const fields = new Map<string, Float32Array>();
    let dims: { nt: number; ny: number; nx: number } | null = null;
    for (const n of needed) {
      if (!ds.has(n)) continue;
      const r = ds.read(n, undefined, 'float32');
      const a = to3d(r.data as ArrayLike<number>, r.shape, `${file}: variable '${n}'`);
      if (a.ny !== y.length || a.nx !== x.length) throw new NunatakError('SHAPE', `${file}: variable '${n}' is ${a.ny}×${a.nx} but y, x have ${y.length}, ${x.length} values`);
      if (dims && dims.nt !== a.nt) throw new NunatakError('SHAPE', `${file}: variable '${n}' has ${a.nt} frames, others ${dims.nt}`);
      dims = a;
      fields.set(n, a.v);
    }
    return { name, source: file, nt: dims?.nt ?? 1, ny: y.length, nx: x.length, dx: x[1] - x[0], dy: y[1] - y[0], fields };
  } finally {
    ds.close();
  }
}

function readNpyCase(dir: string, name: string, needed: Set<string>): CaseData {
  const fields = new Map<string, Float32Array>();
  let dims: { nt: number; ny: number; nx: number } | null = null;
  for (const n of needed) {
    const f = join(dir, `${n}.npy`);
    if (!existsSync(f)) continue;
    const arr = readNpy(f);
    if (arr.data instanceof BigInt64Array || arr.data instanceof BigUint64Array) throw new NunatakError('DTYPE', `${f}: 64-bit integer data is not supported; save float32`);
    const a = to3d(arr.data as ArrayLike<number>, arr.shape, f);
    if (dims && (dims.nt !== a.nt || dims.ny !== a.ny || dims.nx !== a.nx)) {
      throw new NunatakError('SHAPE', `${f}: shape (${a.nt}, ${a.ny}, ${a.nx}) differs from the other fields (${dims.nt}, ${dims.ny}, ${dims.nx})`);
    }
    dims = a;
    fields.set(n, a.v);
  }
  if (!dims) throw new NunatakError('NOT_FOUND', `${dir}: none of ${[...needed].join(', ')} is there as <name>.npy`);
  // DLE's npy cases carry no coordinates; optional 1-D x.npy / y.npy give the spacing
  // (without them dx, dy are NaN and slopes must be supplied as npy files).
  const coord = (c: string) => (existsSync(join(dir, `${c}.npy`)) ? Array.from(readNpy(join(dir, `${c}.npy`)).data as ArrayLike<number>) : null);
  const x = coord('x');
  const y = coord('y');
  const dx = x && x.length > 1 ? x[1] - x[0] : NaN;
  const dy = y && y.length > 1 ? y[1] - y[0] : NaN;
  return { name, source: dir, nt: dims.nt, ny: dims.ny, nx: dims.nx, dx, dy, fields };
}

/** Read every case of `<root>/<split>/`, keeping the `needed` fields (plus usurf for slopes). */
export async function loadSplit(root: string, split: 'train' | 'test', needed: string[]): Promise<CaseData[]> {
  const dir = join(root, split);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new NunatakError('NOT_FOUND', `data folder ${dir} does not exist`, { hint: 'DLE layout: <data_dir>/<dataset>/{train,test}/<case>/ex.nc (or <field>.npy)' });
  }
  const want = new Set(needed);
  const slopes = needed.some((n) => n === 'slopsurfx' || n === 'slopsurfy');
  if (slopes) want.add('usurf');
  const cases = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();
  if (cases.length === 0) throw new NunatakError('NOT_FOUND', `${dir} holds no case folders`);
  const out: CaseData[] = [];
  for (const name of cases) {
    const cdir = join(dir, name);
    const files = readdirSync(cdir);
    const nc = files.filter((f) => f.endsWith('.nc'));
    if (nc.length > 1) throw new NunatakError('INPUT', `${cdir} holds ${nc.length} NetCDF files`, { hint: 'one NetCDF file per case (DLE: ex.nc)' });
    if (nc.length === 1) out.push(await readNetcdfCase(join(cdir, nc[0]), name, want));
    else if (files.some((f) => f.endsWith('.npy'))) out.push(readNpyCase(cdir, name, want));
    else throw new NunatakError('NOT_FOUND', `${cdir} holds neither a .nc file nor .npy files`);
  }
  return out;
}
