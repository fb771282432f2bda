"""netCDF4-python side of bench/netcdf.ts.

usage: netcdf_io.py write PATH NT NY NX FORMAT   (FORMAT: NETCDF4 | NETCDF3_CLASSIC)
       netcdf_io.py read PATH VAR
Prints JSON {"seconds": ..., "checksum": ...}. Values of step k: k + 0.001 * (j*nx + i) % 1000,
the same formula as the TypeScript side.
"""
import json
import sys
import time

import netCDF4
import numpy as np


def step(k, ny, nx):
    return (k + 0.001 * (np.arange(ny * nx, dtype=np.float64) % 1000)).astype(np.float32).reshape(ny, nx)


def write(path, nt, ny, nx, fmt):
    t0 = time.perf_counter()
    d = netCDF4.Dataset(path, "w", format=fmt)
    d.createDimension("time", None)
    d.createDimension("y", ny)
    d.createDimension("x", nx)
    t = d.createVariable("time", "f8", ("time",))
    t.units = "days since 2000-01-01"
    kw = {"chunksizes": (1, ny, nx)} if fmt == "NETCDF4" else {}
    v = d.createVariable("thk", "f4", ("time", "y", "x"), fill_value=np.float32(np.nan), **kw)
    v.units = "m"
    d.close()
    gen = 0.0
    for k in range(nt):
        g0 = time.perf_counter()
        a = step(k, ny, nx)
        gen += time.perf_counter() - g0
        # one save = open, append one record, close (what nunatak's writer does)
        d = netCDF4.Dataset(path, "a")
        d["thk"][k] = a
        d["time"][k] = float(k)
        d.close()
    print(json.dumps({"seconds": time.perf_counter() - t0 - gen}))


def read(path, var):
    t0 = time.perf_counter()
    d = netCDF4.Dataset(path)
    d.set_auto_mask(False)
    a = d[var][:]
    d.close()
    s = time.perf_counter() - t0
    print(json.dumps({"seconds": s, "checksum": float(a.astype(np.float64).sum()), "shape": list(a.shape)}))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    else:
        read(sys.argv[2], sys.argv[3])
