/**
 * The peer view of a zarr store nunatak wrote: Debian's xarray 2023.01 with
 * zarr-python 2.13 (`xarray.open_zarr(path)` at default settings), compared
 * with xarray's view of the NetCDF file of the same data
 * (`xarray.open_dataset`) and, optionally, .npy files of the same results.
 */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';

const SCRIPT = `
import sys, json, warnings
import numpy as np, xarray as xr
store, nc = sys.argv[1], sys.argv[2]
npys = dict(a.split('=', 1) for a in sys.argv[3:])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    z = xr.open_zarr(store)  # default settings: consolidated metadata, CF decoding
    z.load()
out = {'warnings': [f'{w.category.__name__}: {w.message}' for w in caught], 'sizes': dict(z.sizes), 'coords': sorted(z.coords), 'vars': {}}
for k, v in z.variables.items():
    out['vars'][k] = {'dims': list(v.dims), 'dtype': str(v.dtype), 'attrs': {a: str(x) for a, x in v.attrs.items()}}
if 'time' in z.coords:
    t = z['time']
    out['time'] = {'iso': [x.isoformat() for x in t.values.tolist()] if t.dtype == object else [str(x) for x in t.values], 'calendar': t.encoding.get('calendar'), 'units': t.encoding.get('units')}
if nc != '-':
    n = xr.open_dataset(nc)
    # the history timestamp and the run config (its output path) differ by design
    for d in (z, n):
        d.attrs.pop('history', None)
        out.setdefault('config', []).append(d.attrs.pop('nunatak_config', None))
    try:
        xr.testing.assert_identical(z, n)  # dims, coords, values (NaN = NaN), every attribute
        out['identical'] = 'yes'
    except AssertionError as e:
        out['identical'] = str(e)
    n.close()
out['npy'] = {k: bool(np.array_equal(z[k].values, np.load(f), equal_nan=True)) for k, f in npys.items()}
print(json.dumps(out))
`;

export interface ZarrView {
  warnings: string[];
  sizes: Record<string, number>;
  coords: string[];
  vars: Record<string, { dims: string[]; dtype: string; attrs: Record<string, string> }>;
  time?: { iso: string[]; calendar: string; units: string };
  /** 'yes', or xarray's description of the differences from the NetCDF file. */
  identical?: string;
  /** `nunatak_config` of the store and of the NetCDF file (left out of `identical`). */
  config?: Array<string | null>;
  /** Per variable: exactly equal to its .npy file. */
  npy: Record<string, boolean>;
}

/** xarray's view of `store`, compared with the NetCDF file `nc` (if given) and .npy files per variable. */
export function openZarrPeer(store: string, nc?: string, npys: Record<string, string> = {}): ZarrView {
  const r = spawnSync('/usr/bin/python3', ['-c', SCRIPT, store, nc ?? '-', ...Object.entries(npys).map(([k, f]) => `${k}=${f}`)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `xarray.open_zarr failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as ZarrView;
}
