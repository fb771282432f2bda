"""NetCDF3 fixtures for nunatak's reader tests (run with /usr/bin/python3, netCDF4-python + NumPy).

usage: nc3_types.py DIR
Writes DIR/multi.nc (NetCDF3 classic) and DIR/multi64.nc (64-bit offset): several
record variables (float32, float64, int16, int32, plus time) over 5 records, and
fixed variables of the same types; and DIR/lone.nc: one int16 record variable
(records packed with no padding) next to a fixed float64 variable. For each
variable, and for the hyperslabs listed in SLABS, netCDF4-python's values go to
DIR/<file>.<var>[.<slab>].bin as little-endian bytes (NumPy tofile), so the test
compares bit for bit; stdout is JSON {file: {var: {slab: [start, count]}}}.
"""
import json
import sys

import netCDF4
import numpy as np

TYPES = {"f32": "<f4", "f64": "<f8", "i16": "<i2", "i32": "<i4"}


def slabs(shape):
    """Hyperslabs (start, count) of a (time, y, x) variable: one cutting across
    records and inner dims, one of whole records 2 and 3."""
    return {"a": ((1, 1, 2), (3, 2, 3)), "b": ((2, 0, 0), (2, shape[1], shape[2]))}


def values(rng, code, shape):
    n = int(np.prod(shape))
    if code == "f32" or code == "f64":
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
        v[:4] = [0.0, -0.0, np.finfo(TYPES[code]).max, -np.finfo(TYPES[code]).tiny]
        return v.astype(TYPES[code]).reshape(shape)
    info = np.iinfo(TYPES[code])
    v = rng.integers(info.min, info.max, n, endpoint=True)
    v[:2] = [info.min, info.max]
    return v.astype(TYPES[code]).reshape(shape)


def write_multi(path, fmt, rng):
    d = netCDF4.Dataset(path, "w", format=fmt)
    d.createDimension("time", None)
    d.createDimension("y", 3)
    d.createDimension("x", 7)  # odd, so int16 record slices need padding
    d.createVariable("time", "f8", ("time",))[:] = np.arange(5) * 0.5
    for code, t in TYPES.items():
        d.createVariable("r" + code, t, ("time", "y", "x"))[:] = values(rng, code, (5, 3, 7))
        d.createVariable("f" + code, t, ("y", "x"))[:] = values(rng, code, (3, 7))
    d.close()


def write_lone(path, rng):
    d = netCDF4.Dataset(path, "w", format="NETCDF3_CLASSIC")
    d.createDimension("time", None)
    d.createDimension("y", 3)
    d.createDimension("x", 5)
    d.createVariable("ri16", "i2", ("time", "y", "x"))[:] = values(rng, "i16", (6, 3, 5))
    d.createVariable("ff64", "f8", ("y", "x"))[:] = values(rng, "f64", (3, 5))
    d.close()


def dump(dirname, name):
    used = {}
    d = netCDF4.Dataset(f"{dirname}/{name}.nc")
    d.set_auto_maskandscale(False)
    for var, v in d.variables.items():
        a = v[:]
        np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tofile(f"{dirname}/{name}.{var}.bin")
        if v.ndim == 3:
            used[var] = slabs(v.shape)
            for key, (start, count) in used[var].items():
                s = v[tuple(slice(b, b + c) for b, c in zip(start, count))]
                np.ascontiguousarray(s, dtype=s.dtype.newbyteorder("<")).tofile(f"{dirname}/{name}.{var}.{key}.bin")
    d.close()
    return used


if __name__ == "__main__":
    out = sys.argv[1]
    rng = np.random.default_rng(15)
    write_multi(f"{out}/multi.nc", "NETCDF3_CLASSIC", rng)
    write_multi(f"{out}/multi64.nc", "NETCDF3_64BIT_OFFSET", rng)
    write_lone(f"{out}/lone.nc", rng)
    print(json.dumps({name: dump(out, name) for name in ("multi", "multi64", "lone")}))
