"""Independent check of examples/emulator/compare.ts: per-save velocity,
thickness and volume differences of two sim output.nc files, with netCDF4 +
NumPy (float64). Usage: example_errors.py sia/output.nc emulated/output.nc
Prints one JSON list (one dict per save)."""
import json
import sys

import netCDF4
import numpy as np


def load(path):
    with netCDF4.Dataset(path) as d:
        x = np.asarray(d["x"][:], dtype=np.float64)
        y = np.asarray(d["y"][:], dtype=np.float64)
        get = lambda n: np.asarray(d[n][:], dtype=np.float64)
        return abs((x[1] - x[0]) * (y[1] - y[0])), get("time"), get("thk"), get("ubar"), get("vbar")


area, time, ha, ua, va = load(sys.argv[1])
_, _, hb, ub, vb = load(sys.argv[2])
rows = []
for s, t in enumerate(time):
    ice = (ha[s] > 0) | (hb[s] > 0)
    e = np.hypot(ua[s] - ub[s], va[s] - vb[s])[ice]
    dh = np.abs(ha[s] - hb[s])[ice]
    rows.append({
        "t": float(t),
        "iceCells": int(ice.sum()),
        "velL1": float(e.mean()) if e.size else 0.0,
        "velL2": float(np.sqrt((e ** 2).mean())) if e.size else 0.0,
        "thkL1": float(dh.mean()) if dh.size else 0.0,
        "thkL2": float(np.sqrt((dh ** 2).mean())) if dh.size else 0.0,
        "volA": float(ha[s].sum() * area / 1e9),
        "volB": float(hb[s].sum() * area / 1e9),
    })
print(json.dumps(rows))
