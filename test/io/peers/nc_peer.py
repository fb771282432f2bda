"""Peer for nunatak's NetCDF tests (run with /usr/bin/python3, netCDF4-python).

usage:
  nc_peer.py write3 PATH   -- NetCDF3 classic file with packed (scale/offset) and fill values
  nc_peer.py write4 PATH   -- the same content as NetCDF4 (deflate, unlimited time)
  nc_peer.py dump PATH VAR [VAR...] -- JSON {var: {"shape", "values" (masked/unpacked, NaN as null), "raw"}}
"""
import json
import sys

import netCDF4
import numpy as np


def write(path, fmt):
    d = netCDF4.Dataset(path, "w", format=fmt)
    d.title = "nunatak peer fixture"
    d.setncattr("answer", np.int32(42))
    d.createDimension("time", None)
    d.createDimension("y", 3)
    d.createDimension("x", 4)
    t = d.createVariable("time", "f8", ("time",))
    t.units = "days since 2000-01-01 00:00:00"
    t.calendar = "noleap"
    t[:] = [0.0, 31.0, 365.5]
    y = d.createVariable("y", "f4", ("y",))
    y.standard_name = "projection_y_coordinate"
    y.units = "m"
    y[:] = [5000.0, 5100.0, 5200.0]
    x = d.createVariable("x", "f4", ("x",))
    x.axis = "X"
    x.units = "m"
    x[:] = [100.0, 200.0, 300.0, 400.0]
    kw = {"zlib": True, "complevel": 4} if fmt == "NETCDF4" else {}
    # packed int16 with scale/offset and a fill value
    p = d.createVariable("packed", "i2", ("time", "y", "x"), fill_value=np.int16(-32767), **kw)
    p.scale_factor = 0.01
    p.add_offset = 273.15
    p.units = "K"
    p.set_auto_maskandscale(False)
    raw = (np.arange(36, dtype=np.int16) * 37 - 600).reshape(3, 3, 4)
    raw[1, 2, 3] = -32767
    raw[0, 0, 1] = -32767
    p[:] = raw
    # float with _FillValue and missing_value
    f = d.createVariable("temp", "f4", ("y", "x"), fill_value=np.float32(-9999.0), **kw)
    f.missing_value = np.float32(-1.0e30)
    f.long_name = "temperature"
    vals = np.linspace(-5, 5, 12, dtype=np.float32).reshape(3, 4)
    f[:] = vals
    f.set_auto_mask(False)
    f[0, 0] = -9999.0
    f[2, 1] = -1.0e30
    b = d.createVariable("flag", "i1", ("y", "x"))
    b[:] = np.array([[-3, -2, -1, 0], [1, 2, 3, 4], [5, 6, 7, 127]], dtype=np.int8)
    # record variables whose record slices need padding (6 and 3 bytes) in NetCDF3
    d.createDimension("three", 3)
    o = d.createVariable("odd", "i2", ("time", "three"))
    o[:] = np.arange(9, dtype=np.int16).reshape(3, 3) - 4
    c = d.createVariable("tiny", "i1", ("time", "three"))
    c[:] = (np.arange(9, dtype=np.int8).reshape(3, 3) * 13) - 60
    g = d.createVariable("big", "f8", ("x",))
    g[:] = [1e300, -2.5, 3.25, np.pi]
    d.close()


def clean(x):
    """NaN / inf → None so the JSON is strict; numpy scalars and arrays → Python."""
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, list):
        return [clean(y) for y in x]
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def dump(path, names):
    d = netCDF4.Dataset(path)
    out = {}
    for n in names:
        v = d[n]
        m = v[:]
        data = np.ma.filled(np.ma.asarray(m, dtype="f8"), np.nan).ravel()
        v.set_auto_maskandscale(False)
        raw = np.asarray(v[:]).ravel()
        out[n] = {
            "shape": list(v.shape),
            "dims": list(v.dimensions),
            "values": [None if np.isnan(x) else float(x) for x in data],
            "raw": clean([float(x) if raw.dtype.kind == "f" else int(x) for x in raw]) if raw.dtype.kind in "fiu" else None,
            "attrs": {k: clean(v.getncattr(k)) for k in v.ncattrs()},
        }
    if "time" in d.variables:
        tv = d["time"]
        cal = getattr(tv, "calendar", "standard")
        out["__times"] = [str(x) for x in netCDF4.num2date(tv[:], tv.units, cal)]
    out["__globals"] = {k: clean(d.getncattr(k)) for k in d.ncattrs()}
    out["__dims"] = {k: [len(v), v.isunlimited()] for k, v in d.dimensions.items()}
    print(json.dumps(out, allow_nan=False, default=str))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write3":
        write(sys.argv[2], "NETCDF3_CLASSIC")
    elif cmd == "write3_64":
        write(sys.argv[2], "NETCDF3_64BIT_OFFSET")
    elif cmd == "write4":
        write(sys.argv[2], "NETCDF4")
    elif cmd == "dump":
        dump(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(f"unknown command {cmd}")
